// From what the user named to the run's test cases: configuration, user cases (or the OpenAPI description alone),
// the regression suite, and generation by the rules and the LLM providers the entry point hands in.
import { stat } from 'node:fs/promises';
import { loadUserCases } from '../cases/index.ts';
import { loadConfigWithPositions, type LoadedConfig } from '../cases/load.ts';
import type { GauntletConfig, LoadedUserCase, SourceError, TestCase } from '../cases/index.ts';
import { proposeForDescription } from '../generate/dictionary-proposals.ts';
import { addSpending, generate } from '../generate/generate.ts';
import type { GenerationReport, LlmOptions } from '../generate/generate.ts';
import type { CacheStore } from '../generate/cache.ts';
import type { Untested } from '../generate/index.ts';
import {
  ApiDescriptionError,
  anonymousOperations,
  journeysFromDescription,
  loadApiDescription,
  resolveOperationIds,
} from '../generate/openapi/index.ts';
import type { ApiDescription } from '../generate/openapi/index.ts';
import type { DictionaryEntry } from '../generate/openapi/values/dictionary.ts';
import { loadRegressionCases } from '../generate/regression.ts';
import { BUILT_IN_CHECKS, OPENAPI_CHECK_NAMES } from '../run/index.ts';
import { noUserCaseFiles, readConfigSource, readUserCaseSources } from './sources.ts';
import type { PreparationProgress } from './progress.ts';
import { UsageError } from './usage-error.ts';

export interface PrepareOptions {
  /** A user-case file or folder; false for none (generate from the description); unset for `user-cases`. */
  cases?: string | false;
  config?: string;
  openapi?: string;
  seed?: number;
  /**
   * The LLM providers the entry point made from the configuration and the environment (`llm.ts`), and the store
   * that caches what they propose; none for `validate`, which must work offline and quickly.
   */
  llm?: {
    providers: (config: GauntletConfig, seed: number) => LlmOptions['providers'];
    cache?: (config: GauntletConfig) => Promise<CacheStore & { close(): Promise<void> }>;
  };
  /** Where plain progress lines go (which provider is asked, what the cache held). */
  log?: (line: string) => void;
  /** Says what a long load or generation is doing (`createPreparationProgress`); none says nothing. */
  progress?: PreparationProgress;
  /** A cases folder with no user-case file is not an error (`--pass-with-no-tests`): the run has no journeys. */
  allowNoUserCases?: boolean;
  /** What the command line says over the configuration: the providers' model, and the LLM budget's limits. */
  generation?: { model?: string; budget?: GauntletConfig['generation']['budget'] };
}

export interface Prepared {
  config: GauntletConfig;
  /** The journeys the cases were generated from (written, or made from the description). */
  sources: LoadedUserCase[];
  cases: TestCase[];
  untested: Untested[];
  journeys: number;
  /** The user-case file or folder the journeys were read from; unset when they were made from the description. */
  userCasesAt?: string;
  description?: ApiDescription;
  generation: GenerationReport;
}

/** gauntlet.yml, or the file named; a named file that is missing, or any invalid key, is a usage error. */
export async function loadCliConfig(file?: string): Promise<GauntletConfig> {
  return (await loadCliConfigWithPositions(file)).config;
}

async function loadCliConfigWithPositions(file?: string): Promise<LoadedConfig> {
  const loaded = loadConfigWithPositions(await readConfigSource(file ?? 'gauntlet.yml', file !== undefined));
  if (!loaded.ok) throw UsageError.fromSourceErrors('the configuration is not valid', loaded.errors);
  return loaded.value;
}

export async function prepare(options: PrepareOptions): Promise<Prepared> {
  const loaded = await loadCliConfigWithPositions(options.config);
  const { placeOf } = loaded;
  const config = withGenerationOptions(loaded.config, options.generation);

  const openapi = options.openapi ?? config.openapi;
  let description: ApiDescription | undefined;
  if (openapi !== undefined) {
    try {
      description = await loadApiDescription(openapi, { ...(options.log && { onNote: options.log }) });
    } catch (error) {
      // Named in gauntlet.yml: the error points at the line that names it.
      const place = options.openapi === undefined ? placeOf(['openapi']) : undefined;
      throw new UsageError(`${place === undefined ? '' : `${place}: `}openapi: ${(error as Error).message}`);
    }
  }
  const seed = options.seed ?? config.generation.seed;
  const providers = options.llm?.providers(config, seed) ?? [];
  const store =
    providers.length > 0 && config.generation.cache && options.llm?.cache
      ? await options.llm.cache(config).catch((error: unknown) => {
          throw new UsageError(`store: ${(error as Error).message}`);
        })
      : undefined;
  try {
    // Values with meaning for the names the dictionary does not know, before any value is chosen.
    const dictionary =
      description && providers.length > 0
        ? await proposeForDescription(description, providers, store)
        : undefined;
    for (const note of dictionary?.notes ?? []) options.log?.(note);
    const proposed = dictionary?.entries ?? [];
    const { sources, at: userCasesAt } = await userCases(options, description, config, seed, proposed);

    const regression = await loadRegressionCases(config.regression);
    if (!regression.ok)
      throw UsageError.fromSourceErrors('the regression cases are not valid', regression.errors);

    const llm: LlmOptions = {
      providers,
      budget: config.generation.budget,
      prices: config.generation.prices,
      breaker: {
        failures: config.generation.circuitBreaker.failures,
        coolDownMs: config.generation.circuitBreaker.coolDownS * 1000,
      },
      ...(store && { cache: store, cacheTtlSeconds: config.generation.cacheTtlDays * 86_400 }),
    };
    if (providers.length > 0) {
      options.log?.(`Generating with the rules and ${providers.map((p) => p.name).join(', then ')}`);
    }
    const generated = await generate(sources, config, {
      seed,
      regression: regression.value,
      ...(options.progress && { onProgress: options.progress.generating }),
      ...(description && {
        description,
        operations: description.operations.map((o) => `${o.method} ${o.path}`),
      }),
      ...(proposed.length > 0 && { proposed }),
      ...(providers.length > 0 && { llm }),
    });
    if (!generated.ok) {
      throw UsageError.fromSourceErrors('tests cannot be generated from the user cases', generated.errors);
    }
    for (const { provider, usage } of dictionary?.spent ?? []) {
      addSpending(generated.report.usage, usage, provider, config.generation.prices);
    }
    generated.report.notes.unshift(...(dictionary?.notes ?? []));
    assertKnownChecks(generated.cases);
    return {
      config,
      sources,
      cases: generated.cases,
      untested: generated.untested,
      journeys: sources.length,
      ...(userCasesAt !== undefined && { userCasesAt }),
      ...(description && { description }),
      generation: generated.report,
    };
  } finally {
    options.progress?.finish();
    await store?.close();
  }
}

/** The configuration with the command line's model and LLM budget limits over its own. */
function withGenerationOptions(config: GauntletConfig, given: PrepareOptions['generation']): GauntletConfig {
  if (!given) return config;
  const { model, budget } = given;
  return {
    ...config,
    generation: {
      ...config.generation,
      providers:
        model === undefined
          ? config.generation.providers
          : config.generation.providers.map((p) => ({ ...p, model })),
      budget: { ...config.generation.budget, ...budget },
    },
  };
}

const CHECK_NAMES: readonly string[] = [
  ...BUILT_IN_CHECKS.map((check) => check.name),
  ...OPENAPI_CHECK_NAMES,
];

/** `skipChecks` names only checks that exist: a typo would silently keep a check on. */
function assertKnownChecks(cases: readonly TestCase[]): void {
  const unknown = cases.flatMap((testCase) =>
    (testCase.skipChecks ?? [])
      .filter((name) => !CHECK_NAMES.includes(name))
      .map((name) => ({
        ...testCase.origin,
        message: `skipChecks: no built-in check is named "${name}" (known: ${CHECK_NAMES.join(', ')})`,
      })),
  );
  if (unknown.length > 0) throw UsageError.fromSourceErrors('the user cases are not valid', unknown);
}

/** The written user cases, with operationIds resolved; or, with none written, journeys from the description. */
async function userCases(
  {
    cases,
    allowNoUserCases,
    progress,
    log,
  }: Pick<PrepareOptions, 'cases' | 'allowNoUserCases' | 'progress' | 'log'>,
  description: ApiDescription | undefined,
  config: GauntletConfig,
  seed: number,
  proposed: readonly DictionaryEntry[],
): Promise<{ sources: LoadedUserCase[]; at?: string }> {
  const location = cases === false ? undefined : (cases ?? 'user-cases');
  // Without user cases (--no-cases, or no user-cases folder and none named) the description is the input.
  const none =
    location === undefined ||
    (cases === undefined &&
      (await stat(location).then(
        () => false,
        () => true,
      )));
  if (none && description) {
    const identities = Object.keys(config.identities);
    // A secured operation is called as the only identity there is; with several, name one in the user cases.
    const auth = identities.length === 1 ? identities[0]! : undefined;
    const anonymous = anonymousOperations(description, auth).length;
    if (anonymous > 0) {
      const why =
        identities.length === 0
          ? 'gauntlet.yml names no identity'
          : `gauntlet.yml names ${identities.length} identities and no user case says which to use`;
      log?.(
        `${anonymous} operations of the description need credentials and ${why}: their tests are sent without ` +
          'credentials and expect a refusal (4xx). Add one identity (identities) to test them signed in.',
      );
    }
    try {
      return {
        sources: journeysFromDescription(description, {
          seed,
          ...(proposed.length > 0 && { proposed }),
          ...(auth === undefined ? { signedOut: true } : { auth }),
        }),
      };
    } catch (error) {
      if (error instanceof ApiDescriptionError) throw new UsageError(`openapi: ${error.message}`);
      throw error;
    }
  }
  if (location === undefined)
    throw new UsageError('--no-cases needs an OpenAPI description (--openapi or openapi)');
  const texts = await readUserCaseSources(location, config.limits);
  if (texts.length === 0) {
    if (allowNoUserCases) return { sources: [], at: location };
    throw new UsageError(noUserCaseFiles(location), [
      'name the right file or folder with --cases (run and explore accept none with --pass-with-no-tests)',
    ]);
  }
  progress?.loading(
    texts.length,
    texts.reduce((bytes, text) => bytes + Buffer.byteLength(text.text), 0),
  );
  const loaded = loadUserCases(texts);
  if (!loaded.ok) throw UsageError.fromSourceErrors('the user cases are not valid', loaded.errors);
  if (!description) return { sources: loaded.value, at: location };
  const resolved = resolveOperationIds(loaded.value, description);
  if (!resolved.ok)
    throw UsageError.fromSourceErrors('the user cases are not valid', resolved.errors as SourceError[]);
  return { sources: resolved.value, at: location };
}
