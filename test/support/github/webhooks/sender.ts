// Delivers webhooks to a running app the way GitHub does: a POST with GitHub's headers, signed with the app's
// webhook secret (`X-Hub-Signature-256` by @octokit/webhooks-methods), answered before the call returns.
import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { buildPayload } from './payloads.ts';
import type { DeliveryOptions } from './payloads.ts';
import type { Delivery, Inspection } from '../inspection.ts';
import type { Presenters } from '../present/index.ts';
import type { GitHubState } from '../state/state.ts';

export class WebhookSender {
  private readonly state: GitHubState;
  private readonly present: Presenters;
  private readonly secret: string;
  private readonly inspection: Inspection;
  private hookId = 500_000;

  constructor(deps: { state: GitHubState; present: Presenters; secret: string; inspection: Inspection }) {
    this.state = deps.state;
    this.present = deps.present;
    this.secret = deps.secret;
    this.inspection = deps.inspection;
  }

  /** The payload a delivery of `event` would carry, without sending it. */
  build(event: string, options: DeliveryOptions = {}): Record<string, unknown> {
    return buildPayload(this.state, this.present, event, options);
  }

  /** POSTs a signed delivery to `url` and resolves with the app's answer once it has answered. */
  async deliver(url: string, event: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const payload = this.build(event, options);
    const body = JSON.stringify(payload);
    const id = randomUUID();
    this.hookId += 1;
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/emulator',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-github-hook-id': String(this.hookId),
        'x-github-hook-installation-target-id': String(this.state.app.id),
        'x-github-hook-installation-target-type': 'integration',
        'x-hub-signature-256': await sign(this.secret, body),
        // GitHub still sends the SHA-1 signature for old receivers; the library only makes the SHA-256 one.
        'x-hub-signature': `sha1=${createHmac('sha1', this.secret).update(body).digest('hex')}`,
      },
    });
    const delivery: Delivery = {
      id,
      event,
      action: options.action,
      url,
      payload,
      status: response.status,
      response: await response.text(),
    };
    this.inspection.deliveries.push(delivery);
    return delivery;
  }
}
