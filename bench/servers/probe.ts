/**
 * Preloaded (`node --require`) into each server the bench starts as a child process. It answers the
 * bench over the IPC channel with the server's own CPU time and memory, so those figures never
 * include the load generator's work.
 */
export interface Usage {
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
}

export type ProbeRequest = { id: number; ask: 'usage' | 'gc' };
export type ProbeAnswer = { id: number; usage: Usage };

if (process.send) {
  process.on('message', (message: ProbeRequest) => {
    if (message?.ask === 'gc') (globalThis as { gc?: () => void }).gc?.();
    const answer: ProbeAnswer = { id: message.id, usage: { cpu: process.cpuUsage(), memory: process.memoryUsage() } };
    process.send!(answer);
  });
  // The IPC channel must not keep a server alive that was told to stop.
  process.channel?.unref();
}
