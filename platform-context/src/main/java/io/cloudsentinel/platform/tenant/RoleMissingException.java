package io.cloudsentinel.platform.tenant;

import java.util.List;

/** The caller's verified context has none of the roles an operation needs; the REST layer answers 403. */
public class RoleMissingException extends RuntimeException {

    private final List<String> allowed;

    public RoleMissingException(List<String> allowed) {
        super("this operation needs one of the roles " + String.join(", ", allowed));
        this.allowed = List.copyOf(allowed);
    }

    public List<String> allowed() {
        return allowed;
    }
}
