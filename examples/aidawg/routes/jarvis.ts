// JARVIS, the operations side: service health and restarts, business metrics, alerts, deployments, logs and traces.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { requireOperator } from '../auth.ts';
import type { Faults } from '../faults.ts';
import { HttpError, parse } from '../http-error.ts';
import type { Service, State } from '../state.ts';

const Alert = z.object({
  name: z.string().trim().min(1).max(100),
  metric: z.enum(['error_rate', 'latency_p95_ms', 'cost_daily', 'service_down']),
  comparator: z.enum(['>', '<']),
  threshold: z.number().finite(),
  channel: z.object({
    type: z.enum(['email', 'webhook', 'slack']),
    target: z.string().trim().min(1).max(500),
  }),
});
const Deployment = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[\w.]+)?$/, 'expected a version like 1.4.0'),
  strategy: z.literal('blue-green'),
});

export function jarvisRoutes(state: State, faults: Faults): Router {
  const router = Router();
  const operator = (req: Request) => requireOperator(state, req);
  const service = (name: string): Service => {
    const found = state.services.get(name);
    if (!found) throw new HttpError(404, `no service named "${name}"`);
    return found;
  };
  const summary = (s: Service) => ({
    name: s.name,
    status: s.status,
    uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000),
    restarts: s.restarts,
    dependsOn: s.dependsOn,
  });
  const restart = (s: Service) => {
    const id = randomUUID();
    Object.assign(s, { status: 'healthy', startedAt: Date.now(), restarts: s.restarts + 1 });
    s.restartAttempts.push({ id, at: new Date().toISOString(), result: 'ok' });
    s.logs.push(`${new Date().toISOString()} ${s.name} restarted (${id})`);
    s.healthChecks.push({ at: new Date().toISOString(), ok: true, latencyMs: 4 });
    return { service: s.name, status: 'restarting', restartId: id };
  };

  router.get('/services', (req, res) => {
    operator(req);
    res.json([...state.services.values()].map(summary));
  });
  router.get('/services/:name', (req, res) => {
    operator(req);
    const s = service(req.params.name);
    const alerts = [...state.alerts.values()].filter((a) => a.metric === 'service_down');
    res.json({
      ...summary(s),
      logs: s.logs.slice(-50),
      healthChecks: s.healthChecks.slice(-50),
      restartAttempts: s.restartAttempts,
      alerts,
    });
  });
  router.post('/services/restart', (req, res) => {
    operator(req);
    const { names } = parse(z.object({ names: z.array(z.string()).min(1).max(20) }), req.body);
    const services = names.map(service);
    res.status(202).json({ restarts: services.map(restart) });
  });
  router.post('/services/:name/restart', (req, res) => {
    if (!faults.has('F7')) operator(req);
    const s = service(req.params.name);
    const { withDependencies } = parse(
      z.object({ withDependencies: z.enum(['true', 'false']).optional() }),
      req.query,
    );
    const dependents =
      withDependencies === 'true'
        ? [...state.services.values()].filter((d) => d.dependsOn.includes(s.name))
        : [];
    res.status(202).json({ ...restart(s), dependents: dependents.map(restart) });
  });

  let dashboardLock = Promise.resolve();
  let dashboardsInFlight = 0;
  router.get('/dashboard', async (req, res) => {
    operator(req);
    dashboardsInFlight++;
    try {
      if (faults.has('F8') && dashboardsInFlight > 1) {
        const turn = dashboardLock.then(() => new Promise<void>((resolve) => setTimeout(resolve, 250)));
        dashboardLock = turn;
        await turn;
      }
      // The summary reads several stores; a short wait stands in for those queries, so requests overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const byStatus = { healthy: 0, degraded: 0, down: 0 };
      for (const s of state.services.values()) byStatus[s.status]++;
      res.json({
        services: byStatus,
        activeUsers: activeUsers(state),
        costs: { monthToDate: costs(state).monthToDate },
      });
    } finally {
      dashboardsInFlight--;
    }
  });
  router.get('/metrics', (req, res) => {
    operator(req);
    const users = [...state.users.values()];
    const body = {
      activeUsers: activeUsers(state),
      newUsers7d: users.filter((u) => Date.now() - u.createdAt < 7 * 86_400_000).length,
      sessionsAvgMinutes: Math.round(((Date.now() - state.startedAt) / 60_000) * 10) / 10,
      costs: costs(state),
      peakHour: 20,
    };
    if (faults.has('F6')) res.type('html').send(JSON.stringify(body));
    else res.json(body);
  });
  router.get('/reports', (req, res) => {
    operator(req);
    const { format } = parse(z.object({ format: z.enum(['csv', 'json']) }), req.query);
    const c = costs(state);
    const rows = Object.entries(c.byProvider).map(([provider, amount]) => ({ provider, amount }));
    if (format === 'json') {
      res.json({ generatedAt: new Date().toISOString(), rows });
      return;
    }
    res
      .type('text/csv')
      .attachment('business-report.csv')
      .send(['provider,amount', ...rows.map((r) => `${r.provider},${r.amount}`)].join('\n') + '\n');
  });

  router.post('/alerts', (req, res) => {
    operator(req);
    const alert = { id: randomUUID(), ...parse(Alert, req.body), createdAt: new Date().toISOString() };
    state.alerts.set(alert.id, alert);
    res.status(201).json(alert);
  });
  router.get('/alerts', (req, res) => {
    operator(req);
    res.json([...state.alerts.values()]);
  });
  router.get('/alerts/history', (req, res) => {
    operator(req);
    res.json(state.deliveries);
  });
  router.post('/alerts/:id/test', (req, res) => {
    operator(req);
    const alert = state.alerts.get(req.params.id);
    if (!alert) throw new HttpError(404, 'no such alert');
    const delivery = { alertId: alert.id, channel: alert.channel, at: new Date().toISOString() };
    state.deliveries.push(delivery);
    res.json({ delivered: true, channel: alert.channel, at: delivery.at });
  });
  router.delete('/alerts/:id', (req, res) => {
    operator(req);
    if (!state.alerts.delete(req.params.id)) throw new HttpError(404, 'no such alert');
    if (faults.has('F15')) return void res.json({ deleted: true });
    res.status(204).end();
  });

  router.get('/deployments/preflight', (req, res) => {
    operator(req);
    const checks = [...state.services.values()].map((s) => ({
      name: `${s.name} healthy`,
      ok: s.status === 'healthy',
    }));
    res.json({ ready: checks.every((c) => c.ok), checks });
  });
  router.post('/deployments', (req, res) => {
    operator(req);
    const input = parse(Deployment, req.body);
    const live = state.deployments.findLast((d) => d.status === 'live');
    const deployment = {
      id: randomUUID(),
      version: input.version,
      status: 'live' as const,
      activeColor: live?.activeColor === 'blue' ? 'green' : 'blue',
      ...(live && { previous: live.version }),
    };
    state.deployments.push(deployment);
    res.status(201).json(deployment);
  });
  router.get('/deployments/:id', (req, res) => {
    operator(req);
    const deployment = state.deployments.find((d) => d.id === req.params.id);
    if (!deployment) throw new HttpError(404, 'no such deployment');
    res.json(deployment);
  });
  router.post('/deployments/:id/rollback', (req, res) => {
    operator(req);
    const deployment = state.deployments.find((d) => d.id === req.params.id);
    if (!deployment) throw new HttpError(404, 'no such deployment');
    if (deployment.status === 'rolled-back')
      throw new HttpError(409, 'this deployment is already rolled back');
    deployment.status = 'rolled-back';
    res.json({
      rolledBack: deployment.version,
      live: deployment.previous ?? 'none',
      activeColor: deployment.activeColor === 'blue' ? 'green' : 'blue',
    });
  });

  router.get('/logs', (req, res) => {
    operator(req);
    const { service: name, q } = parse(
      z.object({ service: z.string().max(100).optional(), q: z.string().max(200).optional() }),
      req.query,
    );
    const lines = [...state.services.values()]
      .filter((s) => !name || s.name === name)
      .flatMap((s) => s.logs.map((line) => ({ service: s.name, line })))
      .filter((l) => !q || l.line.includes(q));
    res.json(lines);
  });
  router.get('/traces/:requestId', (req, res) => {
    operator(req);
    const spans = state.traces.get(req.params.requestId);
    if (!spans) throw new HttpError(404, 'no trace for that request id');
    res.json({ requestId: req.params.requestId, spans });
  });
  return router;
}

function activeUsers(state: State): number {
  return new Set([...state.sessions.values()].map((s) => s.userId)).size;
}

function costs(state: State) {
  const base = 120 + state.beats.size * 0.02 + state.scores.length * 0.01;
  const byProvider = { openai: round(base * 0.6), elevenlabs: round(base * 0.3), storage: round(base * 0.1) };
  const trend = Array.from({ length: 7 }, (_, i) => round((base / 25) * (0.9 + i * 0.02)));
  return { monthToDate: round(base), byProvider, trend, projection: round(base * 1.6) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
