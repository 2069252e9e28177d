package io.cloudsentinel.jobs.rest;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.repository.Job;
import io.cloudsentinel.jobs.repository.JobRepository;

/**
 * The paging parameters of job lists: a limit of 1 to 200 (50 by default) and an opaque cursor that names the last
 * job of the previous page by its (created_at, id), the keyset of {@code jobs_listing_idx}.
 */
final class Paging {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private Paging() {
    }

    static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, as an out-of-range limit is
        }
        throw JobProblems.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    static Optional<JobRepository.After> after(String cursor) {
        return after(cursor, (at, id) -> new JobRepository.After(Instant.parse(at), id));
    }

    /**
     * The keyset a cursor of {@link #cursor} names: its first part as {@code keyset} reads it (an instant, a day),
     * and the row's id.
     *
     * @throws io.cloudsentinel.platform.problem.ProblemException 400 when it is not a cursor this service issued
     */
    static <T> Optional<T> after(String cursor, BiFunction<String, UUID, T> keyset) {
        if (cursor == null) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(" ", -1);
            if (parts.length == 2) {
                return Optional.of(keyset.apply(parts[0], UUID.fromString(parts[1])));
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // answered below
        }
        throw JobProblems.invalid("cursor", "is not a cursor this service issued");
    }

    /** The opaque cursor that names a page's last row by its sort key and id. */
    static String cursor(Object sortKey, UUID id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((sortKey + " " + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Rows to ask for: one more than the page holds, to know whether another page follows. */
    static int rows(int limit) {
        return limit + 1;
    }

    /** The page of {@link #rows} jobs: {@code limit} of them, and a cursor only when another page follows. */
    static JobView.Page page(List<Job> jobs, int limit) {
        if (jobs.size() <= limit) {
            return new JobView.Page(jobs.stream().map(JobView::of).toList(), null);
        }
        Job last = jobs.get(limit - 1);
        String next = cursor(last.createdAt(), last.id());
        return new JobView.Page(jobs.subList(0, limit).stream().map(JobView::of).toList(), next);
    }
}
