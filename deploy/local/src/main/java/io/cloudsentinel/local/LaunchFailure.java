package io.cloudsentinel.local;

import java.nio.file.Path;

/** A part of the stack did not come up; says which and where its log is. */
public final class LaunchFailure extends Exception {

    final String part;
    final transient Path log;

    LaunchFailure(String part, String reason, Path log) {
        super(reason);
        this.part = part;
        this.log = log;
    }

    LaunchFailure(String part, String reason, Path log, Throwable cause) {
        super(reason + ": " + cause.getMessage(), cause);
        this.part = part;
        this.log = log;
    }

    /** Which part did not come up: postgres, kafka, a service's name. */
    public String part() {
        return part;
    }

    /** Its log, when it has one. */
    public java.util.Optional<Path> log() {
        return java.util.Optional.ofNullable(log);
    }
}
