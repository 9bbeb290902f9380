/** The emulator's bounds on versions and aliases (AWS bounds them by code storage; the emulator keeps each on disk). */

/** Versions one function may have published at once; PublishVersion past it is refused until some are deleted. */
export const VERSIONS_PER_FUNCTION_LIMIT = 100;
/** Aliases one function may have at once. */
export const ALIASES_PER_FUNCTION_LIMIT = 100;
