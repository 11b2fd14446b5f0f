// Regenerates order_keys.json: known order keys from the npm `fractional-indexing@3.2.0`
// (the library the web editor uses), replayed by test_ordering.py against the Python port.
//   cd "$(mktemp -d)" && npm install fractional-indexing@3.2.0 && cp /path/to/make_order_keys.mjs . && \
//     node make_order_keys.mjs > /path/to/order_keys.json   (ESM resolves from the script)
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

let seed = 20261123;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (n) => Math.floor(random() * n);

const calls = [];
let keys = [];
for (let i = 0; i < 400; i++) {
  const choice = pick(10);
  let a = null, b = null, n = 1;
  if (keys.length > 0 && choice < 2) b = keys[0];                 // prepend
  else if (keys.length > 0 && choice < 4) a = keys[keys.length - 1]; // append
  else if (keys.length > 1) {                                       // between neighbours
    const at = pick(keys.length - 1);
    a = keys[at]; b = keys[at + 1];
  }
  if (choice === 9) n = 1 + pick(5);
  const result = n === 1 ? [generateKeyBetween(a, b)] : generateNKeysBetween(a, b, n);
  calls.push({ a, b, n, result });
  keys = [...keys, ...result].sort();
}
// Deep insertions: always just before the previous new key, so keys grow long.
let low = "a0", high = "a1";
for (let i = 0; i < 80; i++) {
  const key = generateKeyBetween(low, high);
  calls.push({ a: low, b: high, n: 1, result: [key] });
  if (i % 2 === 0) high = key; else low = key;
}
console.log(JSON.stringify({ library: "fractional-indexing@3.2.0", calls }, null, 1));
