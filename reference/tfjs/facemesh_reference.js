#!/usr/bin/env node
// TensorFlow.js (pure-JavaScript CPU backend) reference for VideoFer's face mesh and iris (MediaPipe's networks as
// shipped by @vladmandic/human 3.3.6: models/facemesh.json, models/iris.json).
//
//   node facemesh_reference.js run <model.json> <request.json> <response.json>
//       request:  {"tensors": [{"shape": [n,h,w,c], "data": base64 float32 LE}],       raw network inputs
//                  "images":  [{"width", "height", "rgb": base64 HWC RGB bytes,
//                               "box": [x, y, w, h]}],                              a face crop box in pixels
//                  "eyes":    [{"face": {"shape", "data"}, "mesh": {"shape", "data"}}]} a 192x192 face input and its raw mesh
//       response: {"tensors": [[output, ...]],             every model output (signature order) per tensor
//                  "images":  [{"input", "outputs"}],      Human's cutAndResize (cropAndResize, / 255), then the model
//                  "eyes":    [{"input", "boxes", "outputs"}]}  Human's getEyeBox crops (left eye mirrored), the model
//       The pre-processing is written here with tfjs ops from Human's description (src/face/facemeshutil.ts,
//       iris.ts), independently of the C#, so that both the crops and the networks are checked.
//
//   node facemesh_reference.js human <image.ppm> [...]
//       Human itself (human.node-wasm.js on the wasm backend, as human_faces.js runs it) with face mesh and iris
//       on: per face the square box it cut the mesh from (a run with the mesh off gives it: boxRaw) and its
//       decoded 478 points (468 mesh + 5 + 5 iris, whole pixels, Human's own transformRawCoords).
'use strict';
const fs = require('fs');
const path = require('path');

function toFloat32(b64) {
  const bytes = Buffer.from(b64, 'base64');
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

function fromTensor(t) {
  const data = t.dataSync();
  return { shape: t.shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

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
        userDefinedMetadata: model.userDefinedMetadata,
        signature: model.signature,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

// Human's squarifyBox(enlargeBox(box, factor)) for a box given by two corners.
function squareBox(x0, y0, x1, y1, factor) {
  const cx = x0 + (x1 - x0) / 2, cy = y0 + (y1 - y0) / 2;
  const w = factor * Math.abs(x1 - x0), h = factor * Math.abs(y1 - y0);
  const half = Math.max(w, h) / 2;
  return [Math.round(cx - half), Math.round(cy - half), Math.round(cx + half), Math.round(cy + half)];
}

async function run(tf, modelJson, requestFile, responseFile) {
  const model = await tf.loadGraphModel(diskHandler(modelJson));
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  const size = model.inputs[0].shape[2] > 0 ? model.inputs[0].shape[2] : 64;
  // Outputs in a fixed order: the signature's (mesh, faceflag, contours) or the model's single output.
  const names = model.outputs.map((o) => o.name);
  const execute = (input) => {
    const out = model.execute(input, names);
    return Array.isArray(out) ? out : [out];
  };
  const response = { outputNames: names, tensors: [], images: [], eyes: [] };
  for (const t of request.tensors || []) {
    const input = tf.tensor(toFloat32(t.data), t.shape, 'float32');
    const outputs = execute(input);
    response.tensors.push(outputs.map(fromTensor));
    tf.dispose([input, ...outputs]);
  }
  for (const image of request.images || []) {
    const rgb = Uint8Array.from(Buffer.from(image.rgb, 'base64'));
    const [x, y, w, h] = image.box;
    const input = tf.tidy(() => {
      const frame = tf.tensor4d(rgb, [1, image.height, image.width, 3], 'float32');
      // facemeshutil.cutAndResize: [y1, x1, y2, x2] / image size, crop to the model side, / 255.
      const cut = [y / image.height, x / image.width, (y + h) / image.height, (x + w) / image.width];
      return tf.div(tf.image.cropAndResize(frame, [cut], [0], [size, size]), tf.scalar(255));
    });
    const outputs = execute(input);
    response.images.push({ input: fromTensor(input), outputs: outputs.map(fromTensor) });
    tf.dispose([input, ...outputs]);
  }
  for (const eye of request.eyes || []) {
    const face = tf.tensor(toFloat32(eye.face.data), eye.face.shape, 'float32');
    const mesh = toFloat32(eye.mesh.data);
    const meshSize = face.shape[1];
    const boxes = [];
    const crops = [];
    // iris.ts getEyeBox: the two eye corners (left eye 263/362, right eye 33/133), enlarged 2.3, squared; the
    // subject's left eye mirrored (MediaPipe's convention; see IrisModel.cs for Human 3.3.6's right eye).
    for (const [a, b, flip] of [[263, 362, true], [33, 133, false]]) {
      const xs = [mesh[3 * a], mesh[3 * b]], ys = [mesh[3 * a + 1], mesh[3 * b + 1]];
      const box = squareBox(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), 2.3);
      boxes.push(box);
      const cut = [box[1] / meshSize, box[0] / meshSize, box[3] / meshSize, box[2] / meshSize];
      let crop = tf.image.cropAndResize(face, [cut], [0], [size, size]);
      if (flip) { const f = tf.image.flipLeftRight(crop); tf.dispose(crop); crop = f; }
      crops.push(crop);
    }
    const input = tf.concat(crops);
    const outputs = execute(input);
    response.eyes.push({ input: fromTensor(input), boxes, outputs: outputs.map(fromTensor) });
    tf.dispose([face, input, ...crops, ...outputs]);
  }
  fs.writeFileSync(responseFile, JSON.stringify(response));
}

async function human(files) {
  // As human_faces.js: Human's wasm build with tfjs resolved from this folder, model files read from disk.
  const Module = require('module');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolve(request, parent, isMain, options) {
    if (request === '@tensorflow/tfjs-node') request = '@tensorflow/tfjs';
    if (request.startsWith('@tensorflow/')) return resolveFilename.call(this, request, parent, isMain, { paths: [__dirname] });
    return resolveFilename.call(this, request, parent, isMain, options);
  };
  const repo = path.resolve(__dirname, '..', '..');
  const humanFolder = process.env.HUMAN_DIR || path.join(repo, 'models', 'node_modules', '@vladmandic', 'human');
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = async function fetchFiles(url, init) {
    const u = typeof url === 'string' ? url : url.url;
    if (u.startsWith('file://') || u.startsWith('/')) {
      const file = u.startsWith('file://') ? new URL(u).pathname : u;
      const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
      return new Response(fs.readFileSync(file), { status: 200, headers: { 'Content-Type': type } });
    }
    return nodeFetch(url, init);
  };
  const { Human } = require(path.join(humanFolder, 'dist', 'human.node-wasm.js'));
  const wasmFolder = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', { paths: [__dirname] }));
  const off = { enabled: false };
  const config = {
    backend: 'wasm', wasmPath: `${wasmFolder}/`, modelBasePath: `${path.join(humanFolder, 'models')}/`,
    cacheModels: false, cacheSensitivity: 0, warmup: 'none', debug: false,
    face: { enabled: true, detector: { enabled: true, maxDetected: 20 }, mesh: { enabled: true }, iris: { enabled: true },
      attention: off, emotion: off, description: off, antispoof: off, liveness: off, gear: off },
    body: off, hand: off, object: off, gesture: off, segmentation: off,
  };
  const h = new Human(config);
  await h.load();
  await h.tf.ready();
  const { readPpm } = require('./ppm');
  const out = { backend: h.tf.getBackend(), flipKernel: h.env.kernels.includes('flipleftright'), images: {} };
  for (const file of files) {
    const { width, height, rgb } = readPpm(file);
    const input = h.tf.tensor3d(Int32Array.from(rgb), [height, width, 3], 'int32');
    const boxes = await h.detect(input, { face: { mesh: { enabled: false }, iris: { enabled: false } } });
    const meshes = await h.detect(input, { face: { mesh: { enabled: true }, iris: { enabled: true } } });
    h.tf.dispose(input);
    out.images[file] = {
      boxes: boxes.face.map((f) => [f.boxRaw[0] * width, f.boxRaw[1] * height, f.boxRaw[2] * width, f.boxRaw[3] * height]),
      meshes: meshes.face.map((f) => ({ score: f.faceScore, mesh: f.mesh })),
    };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'run' && args.length === 3) {
    const tf = require('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    return run(tf, ...args);
  }
  if (mode === 'human' && args.length > 0) return human(args);
  console.error('usage: node facemesh_reference.js run <model.json> <request.json> <response.json> | human <image.ppm> [...]');
  process.exit(2);
  return undefined;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
