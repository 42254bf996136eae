#!/usr/bin/env node
// face-api's expression network (npm @vladmandic/face-api 1.7.15) run by face-api itself, on TensorFlow.js's
// pure-JavaScript CPU backend: the reference VideoFer's FaceApiExpressionModel is checked against.
//
//   node faceapi_expressions.js <request.json> [<response.json>]
//       request:  {"model": "<folder holding face_expression_model-weights_manifest.json>",   optional
//                  "crops": [{"width": w, "height": h, "rgb": base64 bytes, HWC RGB, row-major}],
//                  "single": true,      each crop alone, as predictExpressions(tensor3d)        (default true)
//                  "batch": true}       all crops at once, as predictExpressions([tensor3d, ...]) (default true)
//       response: {"labels": [...],                                    face-api's FACE_EXPRESSION_LABELS
//                  "single": [{"expressions": {"neutral": p, ...},     face-api's FaceExpressions object
//                              "input": {"shape", "data"}}],           the tensor face-api fed its first convolution
//                  "batch":  {"expressions": [{...}, ...], "input": {"shape", "data"}}}
//       Tensors are {"shape": [...], "data": base64 float32 little-endian}. Without <response.json> the response is
//       printed to stdout.
//
//   node faceapi_expressions.js <image.ppm> [...]
//       Prints face-api's expressions for binary PPM (P6, 8-bit) pictures, each taken whole as the face crop
//       (e.g. `ffmpeg -i face.jpg face.ppm`): pure TF.js has no JPEG/PNG decoder in Node.
//
// face-api's Node build requires @tensorflow/tfjs-node (native TensorFlow); it is pointed at @tensorflow/tfjs
// (installed next to this script) instead, so that face-api's own code runs on the pure-JavaScript CPU backend.
// The "input" tensors are captured at the engine's first Conv2D kernel of each call: what face-api's
// NetInput.toBatchTensor and its normalisation produced, not a re-implementation of them.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const tfjsMain = require.resolve('@tensorflow/tfjs', { paths: [__dirname] });
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  return resolveFilename.call(this, request === '@tensorflow/tfjs-node' ? tfjsMain : request, ...rest);
};

const repo = path.resolve(__dirname, '..', '..');
const packageCandidates = [
  path.join(repo, 'models', 'node_modules', '@vladmandic', 'face-api'),
  path.join(repo, 'tests', 'media', 'node_modules', '@vladmandic', 'face-api'),
];
const packageFolder = packageCandidates.find((p) => fs.existsSync(path.join(p, 'package.json')));
if (!packageFolder) {
  console.error(`@vladmandic/face-api not installed (looked in ${packageCandidates.join(', ')}): run scripts/setup.sh --test`);
  process.exit(2);
}
const faceapi = require(path.join(packageFolder, 'dist', 'face-api.node.js'));
const { tf } = faceapi;

// Records the input of the first Conv2D kernel run after reset().
const capture = {
  armed: false,
  tensor: null,
  reset() { this.armed = true; this.tensor = null; },
};
const engine = tf.engine();
const runKernel = engine.runKernel;
engine.runKernel = function run(kernelName, inputs, attrs) {
  if (capture.armed && kernelName === 'Conv2D') {
    capture.armed = false;
    capture.tensor = { shape: inputs.x.shape.slice(), data: Float32Array.from(inputs.x.dataSync()) };
  }
  return runKernel.call(this, kernelName, inputs, attrs);
};

function encode(shape, data) {
  return { shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

function plain(expressions) {
  const result = {};
  for (const label of faceapi.FACE_EXPRESSION_LABELS) result[label] = expressions[label];
  return result;
}

async function load(modelFolder) {
  await tf.setBackend('cpu');
  await tf.ready();
  const folder = modelFolder || path.join(packageFolder, 'model');
  await faceapi.nets.faceExpressionNet.loadFromDisk(folder);
}

async function predict(crops, single, batch) {
  const tensors = crops.map((c) => tf.tensor3d(Int32Array.from(c.rgb), [c.height, c.width, 3], 'int32'));
  const response = { labels: [...faceapi.FACE_EXPRESSION_LABELS] };
  try {
    if (single) {
      response.single = [];
      for (const t of tensors) {
        capture.reset();
        const expressions = await faceapi.nets.faceExpressionNet.predictExpressions(t);
        response.single.push({ expressions: plain(expressions), input: encode(capture.tensor.shape, capture.tensor.data) });
      }
    }
    if (batch) {
      capture.reset();
      const list = await faceapi.nets.faceExpressionNet.predictExpressions(tensors);
      response.batch = { expressions: list.map(plain), input: encode(capture.tensor.shape, capture.tensor.data) };
    }
  } finally {
    tensors.forEach((t) => t.dispose());
  }
  return response;
}

const { readPpm } = require('./ppm');

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.error('usage: node faceapi_expressions.js <request.json> [<response.json>] | <image.ppm> [...]');
    process.exit(2);
  }
  if (args[0].endsWith('.json')) {
    const request = JSON.parse(fs.readFileSync(args[0], 'utf8'));
    await load(request.model);
    const crops = (request.crops || []).map((c) => ({ width: c.width, height: c.height, rgb: Buffer.from(c.rgb, 'base64') }));
    const response = await predict(crops, request.single !== false, request.batch !== false && crops.length > 0);
    const text = JSON.stringify(response);
    if (args[1]) fs.writeFileSync(args[1], text); else process.stdout.write(`${text}\n`);
    return;
  }
  await load(null);
  const crops = args.map(readPpm);
  const response = await predict(crops, true, false);
  const out = {};
  args.forEach((file, k) => { out[file] = response.single[k].expressions; });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
