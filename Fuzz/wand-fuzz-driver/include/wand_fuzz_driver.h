// The fuzzing harness's `main` (SwiftPM's name for it), which runs libFuzzer's driver.
int wand_fuzz_main(int argc, char **argv);
