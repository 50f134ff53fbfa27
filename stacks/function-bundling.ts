/**
 * How every Lambda function is bundled: the `nodejs` props the stack gives SST's `Function`, and the
 * esbuild options SST 2.49.8 derives from them (`sst/runtime/handlers/node.js`), so `bench/cold-start.ts`
 * measures exactly what ships. No CDK import: the bench loads this file.
 *
 * The AWS SDK stays in the bundle (no `external`). Marking `@aws-sdk/*` and `@smithy/*` external would
 * cut the bundles to a fraction, but the runtime's SDK is CommonJS and loads whole, not tree-shaken:
 * `client-ec2` alone is a 2 MB module, and module init measured 1.6 to 5 times slower than the bundle
 * (see `bench/cold-start.ts`). Instead, two plugins remove what esbuild cannot tree-shake on its own.
 */
import { readFile } from "node:fs/promises";
import type { BuildOptions, Plugin } from "esbuild";

/** The schema modules of SDK v3 clients (also the nested STS/SSO clients of the credential chain). */
const SDK_SCHEMA_MODULE =
  /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_\d+\.js$/;
/** A top-level string constant of a schema module: `const _xN = "xmlName";`. */
const SCHEMA_STRING_CONSTANT = /^const (_\w+) = ("[^"\\\n]*");$/gm;
/** A computed object key naming such a constant: `{ [_xN]: … }` (not `a[_xN]`, which follows an identifier). */
const COMPUTED_CONSTANT_KEY = /(?<=[{,\s])\[(_\w+)\]:/g;

/**
 * Rewrite `{ [_xN]: v }` to `{ "xmlName": v }` in SDK schema modules, where `_xN` is the module's own
 * string constant: the same object. esbuild treats a computed key as a possible side effect, so every
 * schema carrying a trait object was kept, with everything it references: 526 KB of EC2 schemas for the
 * 11 of its ~800 operations the functions call. With literal keys, unused schemas are dropped (37 KB kept).
 */
export const sdkSchemaLiteralKeys: Plugin = {
  name: "sdk-schema-literal-keys",
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMA_MODULE }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      const constants = new Map<string, string>();
      for (const [, name, literal] of source.matchAll(SCHEMA_STRING_CONSTANT)) {
        if (name !== undefined && literal !== undefined) constants.set(name, literal);
      }
      const contents = source.replace(COMPUTED_CONSTANT_KEY, (key, name: string) => {
        const literal = constants.get(name);
        return literal === undefined ? key : `${literal}:`;
      });
      return { contents, loader: "js" };
    });
  },
};

/** zod v4's barrel of its ~50 message locales. */
const ZOD_LOCALES_BARREL = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

/**
 * Keep only zod's English messages. `z` is a namespace object re-exporting `z.locales`, so esbuild keeps
 * every locale (260 KB) although only English, which zod installs itself, is ever used. Branchkeeper
 * never calls `z.config(z.locales.…())`; with this plugin `z.locales` holds `en` alone.
 */
export const zodEnglishLocaleOnly: Plugin = {
  name: "zod-english-locale-only",
  setup(build) {
    build.onLoad({ filter: ZOD_LOCALES_BARREL }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};

/** The `nodejs` props of every function (`FunctionProps["nodejs"]`). */
export const FUNCTION_NODEJS = {
  format: "esm",
  minify: true,
  sourcemap: true,
  esbuild: { plugins: [sdkSchemaLiteralKeys, zodEnglishLocaleOnly] },
} satisfies { format: "esm"; minify: boolean; sourcemap: boolean; esbuild: BuildOptions };

/** The banner SST puts on ESM bundles: CommonJS dependencies need `require` and `__dirname`. */
const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  "",
].join("\n");

/**
 * The esbuild options SST 2.49.8 builds a function with on deploy (ESM, `FUNCTION_NODEJS`), for one entry
 * and output file. SST's own defaults (`keepNames`, `target: "esnext"`, `mainFields`, the banner, the
 * always-external native packages) are copied here; `FUNCTION_NODEJS.esbuild` is spread last, as SST does.
 */
export const shippedBuildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  platform: "node",
  external: ["sharp", "pg-native"],
  keepNames: true,
  bundle: true,
  logLevel: "error",
  metafile: true,
  format: "esm",
  target: "esnext",
  mainFields: ["module", "main"],
  banner: { js: SST_ESM_BANNER },
  outfile,
  sourcemap: FUNCTION_NODEJS.sourcemap,
  minify: FUNCTION_NODEJS.minify,
  ...FUNCTION_NODEJS.esbuild,
});
