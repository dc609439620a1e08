// The harness's `main`. SwiftPM links every executable with `main` defined as `<module>_main`, so
// libFuzzer's own `main` is never linked in; this is that `main`, handing control to libFuzzer's driver
// with the Swift harness's entry point (which also calls its LLVMFuzzerInitialize).
#include <stddef.h>
#include <stdint.h>

#include "wand_fuzz_driver.h"

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test_one_input)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int wand_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
