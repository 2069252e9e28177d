package io.cloudsentinel.jobs.costs;

import java.io.InputStream;

/**
 * One FOCUS CSV file of an export, plain or gzip (told by its first bytes).
 *
 * @param name how the import's failures and rejected rows name the file (never a URL: it may be a credential)
 */
public record CostFile(String name, InputStream body) {
}
