/** Compile-time check that two types are the same shape (e.g. a stored schema's output and the type computed by server/ml). */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type AssertTrue<T extends true> = T;
