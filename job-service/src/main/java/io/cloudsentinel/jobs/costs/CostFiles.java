package io.cloudsentinel.jobs.costs;

import java.io.IOException;
import java.util.Optional;

/**
 * The files of one export, opened one after another as an import reads them: an upload is one file, an AWS Data
 * Exports manifest names several. They are loaded as one import, so that a billing period split over several files is
 * replaced by all of them together.
 */
@FunctionalInterface
public interface CostFiles {

    /**
     * The next file, or empty after the last. The import closes each body once read.
     *
     * @throws IOException when the file cannot be opened (the import fails; reading it again may succeed)
     */
    Optional<CostFile> next() throws IOException;

    /** A single file. */
    static CostFiles of(CostFile file) {
        boolean[] given = { false };
        return () -> {
            if (given[0]) {
                return Optional.empty();
            }
            given[0] = true;
            return Optional.of(file);
        };
    }
}
