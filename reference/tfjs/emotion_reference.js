#!/usr/bin/env node
// TensorFlow.js (pure-JavaScript CPU backend) reference for VideoFer's TF.js graph-model importer.
//
//   node emotion_reference.js run <model.json> <request.json> <response.json>
//       request:  {"tensors": [{"shape": [n,h,w,c], "data": base64 float32 LE}],
//                  "crops":   [{"width": w, "height": h, "rgb": base64 bytes, HWC RGB}]}
//       response: {"tensors": [{"shape": [...], "data": base64 float32}],          network output per tensor
//                  "crops":   [{"input":  {"shape", "data"},                      the pre-processed model input
//                               "output": {"shape", "data"}}]}                    the network output
//       Crops go through the publisher's pre-processing (@vladmandic/human 3.3.6, src/gear/emotion.ts),
//       written here independently with tfjs ops so that the C# pre-processing is checked too.
//       Optional request fields, for face-embedding models:
//         "outputs": ["node", ...]   read these graph nodes (intermediate ones too) instead of the model's outputs
//         "embedding": {"scale": s}  pre-process crops as Human feeds its face-description model
//                                    (src/face/faceres.ts: RGB/255, resizeBilinear to the input side, times s)
//
//   node emotion_reference.js quantize <model.json> <out-folder>
//       Writes a copy of the model whose float32 weights are stored quantised, cycling through uint8,
//       uint16 and float16 (the converter's formats), in two weight groups, the first split into two
//       shards: exercises every branch of the importer's weight decoding against tfjs's own decoder.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// Reads model.json and all its shards from disk (tfjs's own loaders want http or tfjs-node).
function diskHandler(modelJson) {
  return {
    load: async () => {
      const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
      const dir = path.dirname(modelJson);
      const specs = [];
      const buffers = [];
      for (const group of model.weightsManifest) {
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
        specs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: model.modelTopology,
        format: model.format,
        generatedBy: model.generatedBy,
        convertedBy: model.convertedBy,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

function toFloat32(b64) {
  const bytes = Buffer.from(b64, 'base64');
  const copy = new Uint8Array(bytes); // aligned copy
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

function fromTensor(t) {
  const data = t.dataSync();
  return { shape: t.shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

// The publisher's steps for a grayscale emotion model, given a face crop as Human hands it over:
// an RGB float image in 0..1 (Human's face cutter divides its crop by 255).
function preprocess(crop, inputSize) {
  return tf.tidy(() => {
    const rgb = Uint8Array.from(Buffer.from(crop.rgb, 'base64'));
    const image = tf.div(tf.tensor4d(rgb, [1, crop.height, crop.width, 3], 'float32'), tf.scalar(255, 'float32'));
    const resized = tf.image.resizeBilinear(image, [inputSize, inputSize], false);
    const weighted = tf.mul(resized, tf.tensor1d([0.2989, 0.5870, 0.1140], 'float32'));
    const gray = tf.sum(weighted, 3, true);
    return tf.mul(tf.sub(gray, tf.scalar(0.5, 'float32')), tf.scalar(2, 'float32'));
  });
}

// Human's face-description input: the crop as RGB/255, resized (legacy bilinear), times scale.
function preprocessEmbedding(crop, inputSize, scale) {
  return tf.tidy(() => {
    const rgb = Uint8Array.from(Buffer.from(crop.rgb, 'base64'));
    const image = tf.div(tf.tensor4d(rgb, [1, crop.height, crop.width, 3], 'float32'), tf.scalar(255, 'float32'));
    const resized = tf.image.resizeBilinear(image, [inputSize, inputSize], false);
    return tf.mul(resized, tf.scalar(scale, 'float32'));
  });
}

async function run(modelJson, requestFile, responseFile) {
  const model = await tf.loadGraphModel(diskHandler(modelJson));
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  const inputSize = model.inputs[0].shape[2];
  const response = { tensors: [], crops: [] };
  const execute = (input) => (request.outputs ? model.execute(input, request.outputs) : model.execute(input));
  for (const t of request.tensors || []) {
    const input = tf.tensor(toFloat32(t.data), t.shape, 'float32');
    const output = execute(input);
    response.tensors.push(fromTensor(output));
    tf.dispose([input, output]);
  }
  for (const crop of request.crops || []) {
    const input = request.embedding ? preprocessEmbedding(crop, inputSize, request.embedding.scale) : preprocess(crop, inputSize);
    const output = execute(input);
    response.crops.push({ input: fromTensor(input), output: fromTensor(output) });
    tf.dispose([input, output]);
  }
  fs.writeFileSync(responseFile, JSON.stringify(response));
}

// IEEE 754 binary32 -> binary16 bits, round to nearest even (the converter uses numpy's float16).
function toHalfBits(value) {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  return sign | half; // a carry into the exponent is the correct rounding
}

function quantize(modelJson, outDir) {
  const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [];
  const parts = [];
  for (const group of model.weightsManifest) {
    const data = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.quantization) throw new Error(`${w.name}: already quantised`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      const raw = data.subarray(offset, offset + 4 * n);
      offset += 4 * n;
      specs.push({ ...w });
      parts.push(Buffer.from(raw));
    }
  }
  const kinds = ['uint8', 'uint16', 'float16'];
  let k = 0;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (spec.dtype !== 'float32') continue; // int32 weights (reduction axes) stay as they are
    const aligned = new Uint8Array(parts[i]);
    const values = new Float32Array(aligned.buffer, 0, aligned.byteLength / 4);
    const kind = kinds[k++ % kinds.length];
    if (kind === 'float16') {
      const q = new Uint16Array(values.length);
      for (let j = 0; j < values.length; j++) q[j] = toHalfBits(values[j]);
      parts[i] = Buffer.from(q.buffer);
      spec.quantization = { dtype: 'float16' };
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); }
      const levels = kind === 'uint8' ? 255 : 65535;
      const scale = max > min ? (max - min) / levels : 1;
      const q = kind === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
      for (let j = 0; j < values.length; j++) q[j] = Math.round((values[j] - min) / scale);
      parts[i] = Buffer.from(q.buffer);
      spec.quantization = { dtype: kind, scale, min };
    }
  }
  // Two groups; the first one's bytes split unevenly over two shard files.
  const half = Math.ceil(specs.length / 2);
  const groupA = Buffer.concat(parts.slice(0, half));
  const groupB = Buffer.concat(parts.slice(half));
  const cut = Math.floor(groupA.length / 3) + 1;
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'group1-shard1of2.bin'), groupA.subarray(0, cut));
  fs.writeFileSync(path.join(outDir, 'group1-shard2of2.bin'), groupA.subarray(cut));
  fs.writeFileSync(path.join(outDir, 'group2-shard1of1.bin'), groupB);
  model.weightsManifest = [
    { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs.slice(0, half) },
    { paths: ['group2-shard1of1.bin'], weights: specs.slice(half) },
  ];
  fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify(model));
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  await tf.setBackend('cpu');
  if (command === 'run' && args.length === 3) await run(...args);
  else if (command === 'quantize' && args.length === 2) quantize(...args);
  else {
    console.error('usage: emotion_reference.js run <model.json> <request.json> <response.json>\n' +
                  '       emotion_reference.js quantize <model.json> <out-folder>');
    process.exit(2);
  }
}

main().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });
