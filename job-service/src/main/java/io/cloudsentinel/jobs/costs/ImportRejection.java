package io.cloudsentinel.jobs.costs;

/**
 * A rejected row as its import records it.
 *
 * @param file the file's place in its import, from 1 (an upload has one; a manifest's files in its order)
 * @param line the row's physical line in that file (header = 1)
 */
public record ImportRejection(int file, long line, String reason) {
}
