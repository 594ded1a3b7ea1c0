export declare const REFERENCE_MS: number;
export declare const FIXED_SHARE: number;
export declare function e2eBudget(baseS: number, capS: number, processStartMs: number | undefined): { budgetS: number; factor: number; why: string };
export declare function e2eCap(runCapS: number, ciS: number, e2eS: number): number;
