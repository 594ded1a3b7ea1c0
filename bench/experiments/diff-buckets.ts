// The differences a differential test found, by bucket (a class and a key), with their examples.
export function diffBuckets() {
  const buckets = new Map<string, { cls: string; examples: string[] }>();
  const add = (key: string, cls: string, example: string) => {
    const b = buckets.get(key) ?? { cls, examples: [] };
    b.examples.push(example);
    buckets.set(key, b);
  };
  return { buckets, add };
}
