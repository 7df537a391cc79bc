// The webhook side of GitHub's description (@octokit/openapi-webhooks) and the community's example deliveries
// (@octokit/webhooks-examples), loaded when a test first builds a delivery, once per module registry.
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { describeAjvError } from '../contract.ts';
import { isObject } from '../complete.ts';
import type { Schema } from '../complete.ts';
import { loadDescription, readPackageJson } from '../description.ts';

interface ExampleSet {
  name: string;
  examples: Record<string, unknown>[];
}

export class WebhookDescription {
  private static loaded: WebhookDescription | undefined;
  private readonly document: Record<string, unknown>;
  private readonly examples: ExampleSet[];
  private readonly ajv = new Ajv({ strict: false });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor() {
    this.document = loadDescription('@octokit/openapi-webhooks', 'generated/api.github.com.json').document;
    this.examples = readPackageJson(
      '@octokit/webhooks-examples',
      'api.github.com/index.json',
    ) as ExampleSet[];
    addFormats.default(this.ajv);
    this.ajv.addSchema({ components: this.document.components }, 'webhooks');
  }

  /** The description, loaded on first use. */
  static get(): WebhookDescription {
    WebhookDescription.loaded ??= new WebhookDescription();
    return WebhookDescription.loaded;
  }

  /** The `$ref` of the payload schema for `event` (`pull_request`) and `action` (`opened`). */
  schemaRef(event: string, action: string | undefined): string {
    const key = [event, action].filter(Boolean).join('-').replace(/_/g, '-');
    type Described = {
      post?: { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } };
    };
    const webhooks = this.document.webhooks as Record<string, Described | undefined>;
    const ref = webhooks[key]?.post?.requestBody?.content?.['application/json']?.schema?.$ref;
    if (typeof ref !== 'string') {
      throw new Error(
        `@octokit/openapi-webhooks describes no ${event}${action ? `.${action}` : ''} delivery`,
      );
    }
    return ref;
  }

  resolve = (ref: string): Schema => {
    const node = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>(
        (at, key) => (isObject(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined),
        this.document,
      );
    if (!isObject(node)) throw new Error(`unresolvable ${ref} in @octokit/openapi-webhooks`);
    return node;
  };

  /** The first example GitHub's community recorded for this event and action, if any. */
  example(event: string, action: string | undefined): Record<string, unknown> | undefined {
    const set = this.examples.find((e) => e.name === event);
    const found = set?.examples.find((e) => action === undefined || e.action === action);
    return found && structuredClone(found);
  }

  /** Schema errors of a payload, as `payload.pull_request must have required property 'auto_merge'`. */
  check(ref: string, payload: unknown): string[] {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `webhooks${ref}` });
      this.validators.set(ref, validate);
    }
    return validate(payload) ? [] : (validate.errors ?? []).map((e) => describeAjvError(e, 'payload'));
  }
}
