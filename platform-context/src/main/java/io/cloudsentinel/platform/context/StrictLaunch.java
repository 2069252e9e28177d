package io.cloudsentinel.platform.context;

import io.quarkus.runtime.LaunchMode;

/**
 * Whether unsafe configuration refuses to start: everywhere but Quarkus dev mode and tests, whatever the profiles are
 * called (a deployment named {@code staging} or {@code production} is as exposed as one named {@code prod}).
 */
public final class StrictLaunch {

    private StrictLaunch() {
    }

    public static boolean isStrict() {
        return isStrict(LaunchMode.current());
    }

    static boolean isStrict(LaunchMode mode) {
        return mode != LaunchMode.DEVELOPMENT && mode != LaunchMode.TEST;
    }
}
