// Binary PPM (P6, 8-bit) pictures, the format the reference scripts read: Node has no image decoder here.
const fs = require('fs');

function readPpm(file) {
  const bytes = fs.readFileSync(file);
  const fields = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[i]))) i++;
    if (bytes[i] === 0x23) { while (bytes[i] !== 0x0a) i++; continue; } // a comment
    let token = '';
    while (!/\s/.test(String.fromCharCode(bytes[i]))) token += String.fromCharCode(bytes[i++]);
    fields.push(token);
  }
  i++; // the one whitespace byte before the pixels
  const [magic, width, height, max] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[3])];
  if (magic !== 'P6' || max !== 255) throw new Error(`${file}: not an 8-bit binary PPM (P6, maxval 255)`);
  return { width, height, rgb: bytes.subarray(i, i + width * height * 3) };
}

module.exports = { readPpm };
