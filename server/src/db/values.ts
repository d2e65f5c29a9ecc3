/** A stored value in a form that compares by value: dates by instant, arrays and objects by content, absent as null. */
export const comparable = (v: unknown) => JSON.stringify(v instanceof Date ? v.toISOString() : (v ?? null));
