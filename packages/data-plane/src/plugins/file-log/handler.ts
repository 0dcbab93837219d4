import fs from 'node:fs';
import type { PluginHandler, PrepareEnv } from '../types';
import { serializeRequest } from '../log-serializer/serialize';
import { countLoss } from '../log-serializer/loss-metrics';
import { LossCounter, MAX_PENDING_BYTES } from '../log-serializer/stream-writer';
import type { FileLogConfig } from './schema';

interface Prepared {
  conf: FileLogConfig;
  entities: PrepareEnv['entities'];
  files: Map<string, fs.WriteStream>;
  loss: LossCounter;
}

/** The append stream of a path (created on first use, mode 0644 as Kong), shared by every instance writing it. */
function streamFor(p: Prepared): fs.WriteStream {
  let s = p.files.get(p.conf.path);
  if (s === undefined || s.destroyed) {
    const stream = fs.createWriteStream(p.conf.path, { flags: 'a', mode: 0o644 });
    stream.on('error', (err) => {
      p.loss.drop(1, `cannot write ${p.conf.path}: ${err.message}`);
      if (p.files.get(p.conf.path) === stream) p.files.delete(p.conf.path);
    });
    p.files.set(p.conf.path, stream);
    s = stream;
  }
  return s;
}

/**
 * file-log (priority 9, Kong's): appends each entry as a JSON line. Writes
 * are asynchronous (Kong writes synchronously): a request never waits on
 * the disk; a file that cannot take more than 8 MiB of pending lines drops
 * entries, counted and logged. `reopen` writes each line with its own
 * open/append/close, so a rotated file is picked up at once.
 */
export const fileLogHandler: PluginHandler<FileLogConfig, Prepared> = {
  name: 'file-log',
  priority: 9,
  prepare(conf, env) {
    const files = env.runtime.singleton('file-log:files', () => new Map<string, fs.WriteStream>());
    const loss = env.runtime.singleton('file-log:loss', () => new LossCounter('file-log', env.runtime.log, (n) => countLoss(env.runtime, 'file-log', n)));
    return { conf, entities: env.entities, files, loss };
  },
  log(ctx, p) {
    const line = `${JSON.stringify(serializeRequest(ctx, p.entities))}\n`;
    if (p.conf.reopen) {
      fs.appendFile(p.conf.path, line, { mode: 0o644 }, (err) => {
        if (err) p.loss.drop(1, `cannot write ${p.conf.path}: ${err.message}`);
      });
      return;
    }
    const s = streamFor(p);
    if (s.writableLength > MAX_PENDING_BYTES) p.loss.drop(1, 'file not keeping up');
    else s.write(line);
  },
};
