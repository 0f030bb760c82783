// json-logic-js ships no types; this is the part of its API the benchmarks use.
declare module 'json-logic-js' {
  const jsonLogic: {
    apply(logic: unknown, data?: unknown): unknown;
    add_operation(name: string, fn: (...args: unknown[]) => unknown): void;
  };
  export default jsonLogic;
}
