// W3C Bitstring Status List 1.0: decode encodedList (multibase base64url of GZIP) and read a bit
// (index 0 is the most significant bit of the first byte). Uses the platform's
// DecompressionStream (browsers, node 18+).
import { multibaseDecode } from './multibase.js';

export const MINIMUM_ENTRIES = 131072;

export async function decodeEncodedList(encoded) {
  const compressed = multibaseDecode(encoded, 'base64url');
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip'));
  const bits = new Uint8Array(await new Response(stream).arrayBuffer());
  if (bits.length * 8 < MINIMUM_ENTRIES) {
    throw new Error(`encodedList has ${bits.length * 8} entries; the minimum is ${MINIMUM_ENTRIES}`);
  }
  return bits;
}

export function getBit(bits, index) {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`status index ${index} is outside the list`);
  }
  return ((bits[index >> 3] >> (7 - (index % 8))) & 1) === 1;
}
