/** One JSON object on stdout (exact values serialise as strings, never floats). */
export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
