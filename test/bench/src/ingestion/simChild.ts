/**
 * The simulator in its own process (forked by simProcess.ts), so serving lists and watches and
 * generating load does not compete with the ingester for the benchmark process's event loop.
 * Driven over IPC; records the wall time of every store change (by resourceVersion) so the
 * parent can compute end-to-end lag with one clock (same machine).
 */
import { startKubeSim } from '@pod-watch/kube-sim';
import type { SimRequest } from './simProcess';

async function main() {
  const sim = await startKubeSim({ port: 0 });
  // every change: rv, wall ms, storage — compact, unlike the ledger's object snapshots
  const rvs: number[] = [];
  const wallMs: number[] = [];
  const storages: string[] = [];
  sim.store.subscribe(e => {
    rvs.push(e.rv);
    wallMs.push(Date.now());
    storages.push(e.storage);
  });

  const handle = async (req: SimRequest): Promise<unknown> => {
    switch (req.op) {
      case 'createPods':
        return sim.load.createPods(req.args);
      case 'startChurn':
        sim.load.startChurn(req.args);
        return null;
      case 'stopChurn':
        sim.load.stopChurn();
        return sim.load.stats();
      case 'resourceVersion':
        return sim.store.resourceVersion;
      case 'changes': {
        const { sinceRv, storages: wanted } = req.args;
        const out = { rv: [] as number[], wallMs: [] as number[] };
        for (let i = 0; i < rvs.length; i++) {
          if (rvs[i] > sinceRv && wanted.includes(storages[i])) {
            out.rv.push(rvs[i]);
            out.wallMs.push(wallMs[i]);
          }
        }
        return out;
      }
      case 'versions':
        return Object.fromEntries(
          sim.store
            .listIn(req.args.storage)
            .map(o => [o.metadata.uid!, o.metadata.resourceVersion!]),
        );
      default:
        throw new Error(`unknown request ${(req as { op: string }).op}`);
    }
  };

  process.on('message', (msg: { id: number; req: SimRequest }) => {
    handle(msg.req).then(
      result => process.send!({ id: msg.id, result }),
      error =>
        process.send!({ id: msg.id, error: String(error?.stack ?? error) }),
    );
  });
  // the parent's exit (or crash) ends the simulator too
  process.on('disconnect', () => {
    sim.close().finally(() => process.exit(0));
  });
  process.send!({
    ready: { url: sim.url, token: sim.token, caPem: sim.caPem },
  });
}

main().catch(e => {
  process.stderr.write(`kube-sim child failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
