#!/usr/bin/env node
// Faces found by @vladmandic/human 3.3.6 (its own BlazeFace pipeline: the 256x256 "back camera" BlazeFace, the
// whole frame stretched to the model input, NMS, boxes enlarged by face.detector.scale) run on TensorFlow.js's
// WebAssembly backend: the other detector of benchmarks/face-robustness.sh (VideoFer.FaceBench).
//
//   node human_faces.js --serve
//       Reads frames from stdin, each: uint32 LE id, uint32 LE width, uint32 LE height, then width*height*3 bytes
//       of RGB (row-major); a frame of width 0 ends the stream. Writes one JSON line per frame to stdout:
//         {"id": n, "ms": detection time, "faces": [{"box": [x, y, w, h], "score": s, "keypoints": [[x, y], ...]}]}
//       The first line is {"ready": true, "human": version, "tfjs": version, "backend": ..., "config": {...}}.
//   node human_faces.js [--labels | --people] <image.ppm> [...]
//       Prints the faces in binary PPM (P6, 8-bit) pictures (Node has no image decoder here).
//
// Configuration: faces only (face.detector on; mesh, iris, attention, emotion, description, antispoof, liveness,
// gear, body, hand, object, gesture, segmentation off) and Human's default detector settings (minConfidence 0.2,
// iouThreshold 0.1, scale 1.4, rotation off) except two, both needed to compare still images:
//   - face.detector.maxDetected 20 (default 1): group photos have several faces;
//   - cacheSensitivity 0 (default 0.7): Human otherwise reuses the previous frame's boxes when the next input
//     looks alike (a video), which would hand one image's faces to the next degraded copy of it.
// "box" is BlazeFace's own box (the one VideoFer compares with): Human returns it enlarged by detector.scale
// (1.4) about its centre and made square (face.boxRaw, not clamped to the frame), with face.size the enlarged
// box's width and height before squaring; the box here is face.size / scale about boxRaw's centre.
// Keypoints: BlazeFace's six, as Human gives them.
// Pixels are passed as a tensor, so Human's image filters (autoBrightness etc.) do not run, as in its Node demos.
//
// Human's Node builds require @tensorflow/tfjs-node (native TensorFlow, not installable here) or, for
// human.node-wasm.js, @tensorflow/tfjs-core, -converter and -backend-wasm, which are not installed beside Human
// (models/node_modules); those requests are resolved from this folder's node_modules instead (as
// faceapi_expressions.js does for face-api), and model files are read from disk through a fetch() that
// understands file paths (Node's own fetch has no file: scheme).
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, isMain, options) {
  if (request === '@tensorflow/tfjs-node') request = '@tensorflow/tfjs';
  if (request.startsWith('@tensorflow/')) return resolveFilename.call(this, request, parent, isMain, { paths: [__dirname] });
  return resolveFilename.call(this, request, parent, isMain, options);
};

const repo = path.resolve(__dirname, '..', '..');
const humanFolder = process.env.HUMAN_DIR || path.join(repo, 'models', 'node_modules', '@vladmandic', 'human');
if (!fs.existsSync(path.join(humanFolder, 'dist', 'human.node-wasm.js'))) {
  console.error(`@vladmandic/human not found at ${humanFolder} (set HUMAN_DIR or install it into models/node_modules)`);
  process.exit(2);
}

// Model and .wasm files by path: Human's loader and tfjs-backend-wasm both go through fetch().
const nodeFetch = globalThis.fetch;
globalThis.fetch = async function fetchFiles(url, init) {
  const u = typeof url === 'string' ? url : url.url;
  if (u.startsWith('file://') || u.startsWith('/')) {
    const file = u.startsWith('file://') ? new URL(u).pathname : u;
    const body = fs.readFileSync(file);
    const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'Content-Type': type } });
  }
  return nodeFetch(url, init);
};

const { Human } = require(path.join(humanFolder, 'dist', 'human.node-wasm.js'));
const wasmFolder = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', { paths: [__dirname] }));

const config = {
  backend: 'wasm',
  wasmPath: `${wasmFolder}/`,
  modelBasePath: `${path.join(humanFolder, 'models')}/`,
  cacheModels: false,
  cacheSensitivity: 0,
  warmup: 'none',
  debug: false,
  face: {
    enabled: true,
    detector: { enabled: true, maxDetected: 20 },
    mesh: { enabled: false },
    iris: { enabled: false },
    attention: { enabled: false },
    emotion: { enabled: false },
    description: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    gear: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
};

async function start() {
  const human = new Human(config);
  await human.load();
  await human.tf.ready();
  if (human.tf.getBackend() !== 'wasm') throw new Error(`Human runs on ${human.tf.getBackend()}, not wasm`);
  const loaded = human.models.loaded();
  if (!loaded.includes('blazeface')) throw new Error(`Human did not load its face detector (loaded: ${loaded.join(', ') || 'nothing'})`);
  // One detection on a blank frame, so that the first real image does not pay for kernel set-up (Human's own
  // warm-up needs a canvas or an image decoder, neither of which Node has here).
  const blank = human.tf.zeros([256, 256, 3], 'int32');
  await human.detect(blank);
  human.tf.dispose(blank);
  return human;
}

async function faces(human, width, height, rgb) {
  const { tf } = human;
  const input = tf.tensor3d(Int32Array.from(rgb), [height, width, 3], 'int32');
  const t0 = process.hrtime.bigint();
  try {
    const result = await human.detect(input);
    if (result.error) throw new Error(`human: ${result.error}`);
    const enlarge = human.config.face.detector.scale || 1.4;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return {
      ms,
      faces: result.face.map((f) => {
        const [rx, ry, rw, rh] = f.boxRaw;
        const cx = (rx + rw / 2) * width, cy = (ry + rh / 2) * height;
        const w = f.size[0] / enlarge, h = f.size[1] / enlarge;
        return {
          box: [cx - w / 2, cy - h / 2, w, h],
          score: f.boxScore,
          keypoints: (f.mesh || []).map((p) => [p[0], p[1]]),
        };
      }),
    };
  } finally {
    tf.dispose(input);
  }
}

// Reads exactly n bytes from a readable stream (async iterator over chunks); chunks are joined once per read.
function reader(stream) {
  const chunks = [];
  let available = 0;
  const iterator = stream[Symbol.asyncIterator]();
  return async function read(n) {
    while (available < n) {
      const { value, done } = await iterator.next();
      if (done) {
        if (available === 0) return null;
        throw new Error(`stdin ended in the middle of a frame (${available} of ${n} bytes)`);
      }
      chunks.push(value);
      available += value.length;
    }
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, available);
    chunks.length = 0;
    const out = all.subarray(0, n);
    if (all.length > n) chunks.push(all.subarray(n));
    available -= n;
    return out;
  };
}

async function serve() {
  const human = await start();
  const info = { ready: true, human: human.version, tfjs: human.tf.version_core, backend: human.tf.getBackend(), models: human.models.loaded(), config };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const read = reader(process.stdin);
  for (;;) {
    const header = await read(12);
    if (header === null) break;
    const id = header.readUInt32LE(0), width = header.readUInt32LE(4), height = header.readUInt32LE(8);
    if (width === 0) break;
    const rgb = await read(width * height * 3);
    const found = await faces(human, width, height, rgb);
    process.stdout.write(`${JSON.stringify({ id, ...found })}\n`);
  }
}

const { readPpm } = require('./ppm');

async function main() {
  let args = process.argv.slice(2);
  // --labels: Human's face pipeline as an analyst would run it on photos (detector and emotion), for its rate;
  // --people adds the face description (identity embedding), which VideoFer's predict computes to link people.
  while (args[0] === '--labels' || args[0] === '--people') {
    config.face.emotion.enabled = true;
    if (args[0] === '--people') config.face.description.enabled = true;
    args = args.slice(1);
  }
  if (args.length === 0) {
    console.error('usage: node human_faces.js --serve | [--labels | --people] <image.ppm> [...]');
    process.exit(2);
  }
  if (args[0] === '--serve') return serve();
  const human = await start();
  const out = {};
  let ms = 0;
  for (const file of args) {
    const { width, height, rgb } = readPpm(file);
    out[file] = await faces(human, width, height, rgb);
    ms += out[file].ms;
  }
  console.error(`human_faces: ${args.length} images, ${(ms / args.length).toFixed(1)} ms each (human.detect: tensor in, result out)`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return undefined;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
