package io.cloudsentinel.local;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code deploy/local/run token [tenant] [roles] [minutes]} asked for, checked before anything is signed: the
 * values go into the token's JSON as they are, so only a UUID, plain role names and a sane lifetime get through.
 */
record TokenRequest(String tenant, List<String> roles, Duration lifetime) {

    static final String USAGE = "usage: deploy/local/run token [tenant-uuid] [role,...] [minutes]";
    static final List<String> DEFAULT_ROLES = List.of("tenant-admin", "tenant-user");
    static final long DEFAULT_MINUTES = 60;
    static final long MAX_MINUTES = 7 * 24 * 60;

    private static final Pattern UUID_TEXT = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    /** @param args what followed {@code token} on the command line */
    static TokenRequest parse(List<String> args) {
        if (args.size() > 3) {
            throw new IllegalArgumentException("too many arguments: " + String.join(" ", args));
        }
        String tenant = args.size() > 0 ? tenant(args.get(0)) : DevTokens.DEMO_TENANT;
        List<String> roles = args.size() > 1 ? roles(args.get(1)) : DEFAULT_ROLES;
        long minutes = args.size() > 2 ? minutes(args.get(2)) : DEFAULT_MINUTES;
        return new TokenRequest(tenant, roles, Duration.ofMinutes(minutes));
    }

    private static String tenant(String text) {
        // UUID.fromString alone would take "1-2-3-4-5"; the gateway wants the canonical form
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("the tenant must be a UUID such as " + DevTokens.DEMO_TENANT
                    + ", not '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static List<String> roles(String text) {
        List<String> roles = Arrays.stream(text.split(",", -1)).map(String::strip).distinct().toList();
        if (roles.stream().anyMatch(role -> !ROLE.matcher(role).matches())) {
            throw new IllegalArgumentException("the roles must be a comma-separated list of role names such as "
                    + String.join(",", DEFAULT_ROLES) + ", not '" + text + "'");
        }
        return roles;
    }

    private static long minutes(String text) {
        String problem = "the lifetime must be a whole number of minutes from 1 to " + MAX_MINUTES + " (a week), not '"
                + text + "'";
        if (!text.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(problem);
        }
        long minutes = Long.parseLong(text);
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException(problem);
        }
        return minutes;
    }
}
