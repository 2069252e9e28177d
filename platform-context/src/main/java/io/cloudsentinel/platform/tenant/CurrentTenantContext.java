package io.cloudsentinel.platform.tenant;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

/** The verified context of the current HTTP request; set by the signed-context filter, nothing else. */
@RequestScoped
public class CurrentTenantContext {

    private TenantContext context;

    public void set(TenantContext verified) {
        if (context != null) {
            throw new IllegalStateException("the tenant context of a request is set once");
        }
        context = verified;
    }

    public Optional<TenantContext> find() {
        return Optional.ofNullable(context);
    }

    /** @throws TenantContextMissingException when the request carried no verified context */
    public TenantContext get() {
        if (context == null) {
            throw new TenantContextMissingException("this request has no verified tenant context");
        }
        return context;
    }
}
