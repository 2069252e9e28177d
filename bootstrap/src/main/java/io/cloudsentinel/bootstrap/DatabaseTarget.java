package io.cloudsentinel.bootstrap;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code bootstrap database} runs against: an administrator connection (superuser, or CREATEROLE and
 * CREATEDB) and the roles' passwords and databases that {@code cloudsentinel-bootstrap.sql} creates.
 */
public record DatabaseTarget(String adminJdbcUrl, String adminUser, String adminPassword,
        DatabaseBootstrap.Settings settings) {

    public static final String ADMIN_JDBC_URL = "CS_BOOTSTRAP_ADMIN_JDBC_URL";
    public static final String ADMIN_USER = "CS_BOOTSTRAP_ADMIN_USER";
    public static final String ADMIN_PASSWORD = "CS_BOOTSTRAP_ADMIN_PASSWORD";
    public static final String OWNER_PASSWORD = "CS_BOOTSTRAP_OWNER_PASSWORD";
    public static final String APP_PASSWORD = "CS_BOOTSTRAP_APP_PASSWORD";
    public static final String DATABASES = "CS_BOOTSTRAP_DATABASES";

    public static DatabaseTarget fromEnv(Map<String, String> variables) {
        Env env = new Env(variables);
        String url = env.required(ADMIN_JDBC_URL);
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new BootstrapConfigException(ADMIN_JDBC_URL + " must be a jdbc:postgresql:// URL, got '" + url + "'");
        }
        List<String> databases = Arrays.stream(env.required(DATABASES).split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .distinct()
                .toList();
        try {
            return new DatabaseTarget(url, env.required(ADMIN_USER), env.requiredSecret(ADMIN_PASSWORD),
                    new DatabaseBootstrap.Settings(env.requiredSecret(OWNER_PASSWORD), env.requiredSecret(APP_PASSWORD),
                            databases));
        } catch (IllegalArgumentException e) {
            throw new BootstrapConfigException(DATABASES + ": " + e.getMessage());
        }
    }

    /** For logs: where it connects, never a password. */
    @Override
    public String toString() {
        return "DatabaseTarget[" + adminUser + " at " + adminJdbcUrl + ", databases " + settings.databases() + "]";
    }
}
