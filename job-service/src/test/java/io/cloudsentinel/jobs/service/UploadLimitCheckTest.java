package io.cloudsentinel.jobs.service;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;

/** Quarkus's body limit must lie above the uploads' own, or it would cut them first with a bare 413. */
class UploadLimitCheckTest {

    @Test
    void anHttpLimitAtOrBelowTheUploadLimitStopsTheStart() {
        assertThatThrownBy(() -> CostImports.requireHttpLimitAbove(size("1G"), size("1G")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("quarkus.http.limits.max-body-size")
                .hasMessageContaining("cs.jobs.costs.imports.max-upload-size");
        assertThatThrownBy(() -> CostImports.requireHttpLimitAbove(size("2M"), size("1M")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anHttpLimitAboveTheUploadLimitIsAccepted() {
        assertThatNoException().isThrownBy(() -> CostImports.requireHttpLimitAbove(size("1G"),
                size("1025M")));
    }

    private static MemorySize size(String text) {
        return new MemorySizeConverter().convert(text);
    }
}
