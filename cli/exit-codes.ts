/**
 * Exit codes of every command, synth included (documented once, in README "Exit codes"): 0 done; 1 policy
 * violations or work that failed; 2 the command line is wrong or an input cannot be read or parsed.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
