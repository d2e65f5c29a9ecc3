export const ROOT: string;
export const FERRETDB_VERSION: string;
export const FERRETDB_BIN: string;
export const TOOLS_DIR: string;
export function ensureFerretdb(log?: (line: string) => void): Promise<string>;
