// Types of scripts/with-tools.js, plain JavaScript so that it runs on the Node that is there before
// Node 24 is: for the demo and the tests that import it.
export function findExecutable(name: string, dirs?: string[]): string | undefined
export function node24Location(platform?: string, arch?: string): { pkg: string; bin: string }
export function node24Bin(version?: string): string | undefined
export function motoBin(which?: (name: string, dirs?: string[]) => string | undefined): string | undefined
