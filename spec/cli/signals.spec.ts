import { jest } from '@jest/globals';
import { DUPLICATE_SIGNAL_MS, onShutdownSignal, ShutdownRequest } from '../../lib/cli/signals.js';

describe('onShutdownSignal', () => {
  let exit: ReturnType<typeof jest.spyOn>;
  const listeners = (): number =>
    process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
  beforeEach(() => {
    jest.useFakeTimers();
    exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
  });
  afterEach(() => {
    jest.runOnlyPendingTimers();
    jest.useRealTimers();
    exit.mockRestore();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('should stop once on %s', (signal) => {
    const stops: string[] = [];
    const remove = onShutdownSignal((name) => void stops.push(name));

    process.emit(signal, signal);
    remove();

    expect(stops).toEqual([signal]);
    expect(exit).not.toHaveBeenCalled();
  });

  it('should exit at once with 130 on a second signal', () => {
    const stops: string[] = [];
    const remove = onShutdownSignal((name) => void stops.push(name));

    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    remove();

    expect(stops).toEqual(['SIGTERM']);
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('should take the same signal again at once as a forwarded copy, and a later one as a second', () => {
    const stops: string[] = [];
    const remove = onShutdownSignal((name) => void stops.push(name));

    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(exit).not.toHaveBeenCalled();
    jest.advanceTimersByTime(DUPLICATE_SIGNAL_MS);
    process.emit('SIGINT', 'SIGINT');
    remove();

    expect(stops).toEqual(['SIGINT']);
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('should keep the process alive until a forwarded copy can no longer come', () => {
    const remove = onShutdownSignal(() => undefined);
    expect(jest.getTimerCount()).toBe(0);

    process.emit('SIGTERM', 'SIGTERM');
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(DUPLICATE_SIGNAL_MS);
    expect(jest.getTimerCount()).toBe(0);
    remove();
  });

  it('should take a forwarded copy that comes after the removal, then leave the signals alone', () => {
    const before = listeners();
    const remove = onShutdownSignal(() => undefined);

    process.emit('SIGINT', 'SIGINT');
    remove();
    process.emit('SIGINT', 'SIGINT');
    expect(exit).not.toHaveBeenCalled();
    expect(listeners()).toBe(before + 2);
    jest.advanceTimersByTime(DUPLICATE_SIGNAL_MS);

    expect(listeners()).toBe(before);
  });

  it('should leave the signals alone at once when removed before any signal', () => {
    const before = listeners();
    onShutdownSignal(() => undefined)();
    expect(listeners()).toBe(before);
  });
});

describe('ShutdownRequest', () => {
  it('should hand a request made before there was anything to stop to the stop', () => {
    const request = new ShutdownRequest();
    const stops: string[] = [];

    request.request('SIGTERM');
    request.request('SIGINT');
    request.onRequest((reason) => void stops.push(reason));

    expect(request.requested).toBe('SIGTERM');
    expect(stops).toEqual(['SIGTERM']);
  });

  it('should stop on the first request made once running', () => {
    const request = new ShutdownRequest();
    const stops: string[] = [];
    request.onRequest((reason) => void stops.push(reason));

    request.request('standard output closed');
    request.request('SIGTERM');

    expect(stops).toEqual(['standard output closed']);
  });
});
