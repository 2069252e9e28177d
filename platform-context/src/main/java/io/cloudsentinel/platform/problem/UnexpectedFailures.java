package io.cloudsentinel.platform.problem;

/**
 * What a module that knows more failures than this one can tell about an unexpected one: the data layer recognises
 * PostgreSQL's refusal of tenant work without a tenant (SQLSTATE CS001) under its wrappers, and counts it.
 */
public interface UnexpectedFailures {

    /** Whether the failure is tenant work that reached the database without a tenant; counted when it is. */
    boolean isTenantContextMissing(Throwable failure);
}
