/**
 * Request-level discrete-event simulation of a pool of identical replicas behind one FIFO queue:
 * the G/G/c queue with an optional queue limit, replicas that come and go over time, and
 * optional dynamic batching.
 *
 * The model:
 * - Requests arrive at the given sorted times (e.g. from traffic.ts's thinning generator).
 * - A request that finds a replica idle starts at once. Otherwise it waits in one FIFO queue;
 *   if `queueLimit` requests are already waiting it is dropped (counted, never served).
 * - A replica that frees up takes the oldest waiting requests, up to `maxBatch` of them, and
 *   serves them together in (fixedS + perItemS·k)·X seconds, X a mean-1 random factor
 *   (exponential, log-normal with coefficient of variation cv, or 1). X is drawn once per
 *   request in arrival order and a batch uses its first request's X, so two runs over the same
 *   arrivals and seed see the same service times whatever the number of replicas.
 * - Capacity: a fixed count, a schedule of target counts, or the HPA (hpa.ts) stepping every sync
 *   period on the utilisation (busy ÷ ready replica-seconds) or the arrival rate per ready
 *   replica observed over the last period. Raising the target first cancels pending removals,
 *   then starts new replicas that serve only after `startupDelayS` (cold start). Lowering it
 *   first cancels replicas still starting, then removes idle replicas, then retires busy ones
 *   as they finish (a retiring replica takes no new work).
 * - The run stops taking arrivals at `endS`. The counts at `endS` satisfy
 *   arrived = served + dropped + waiting + in service. Then the queue drains on the replicas
 *   there are (no more scaling, none retired) so every admitted request gets a response time;
 *   replica-seconds are billed only up to `endS`.
 *
 * Outputs: exact nearest-rank p50/p95/p99 of the response time (wait + service) over the whole
 * run and per minute of arrival (quickselect, percentiles.ts), mean wait, queue lengths per
 * minute, dropped counts, busy and provisioned replica-seconds.
 *
 * Implementation: a binary min-heap of batch completion times (one entry per busy replica), a
 * growable ring buffer for the FIFO queue, a ring of start-up completion times, and typed arrays
 * for per-request results; no object is allocated per request, so a day of 10 million requests
 * runs in about a second in Node. Without a queue limit and with maxBatch = 1, each request's
 * start time equals the Kiefer–Wolfowitz recursion's (start = max(arrival, earliest free
 * replica)), so adding replicas can only move starts earlier (J. Kiefer and J. Wolfowitz, "On the
 * theory of queues with many servers", Trans. AMS 78, 1955).
 *
 * The whole run is one pure function of its input and rng (same input and seed ⇒ same result);
 * it is not split into per-event step calls because its state is tens of megabytes of typed
 * arrays. The HPA inside it is the pure step function of hpa.ts.
 */

import type { Rng } from '../random';
import { createHpaState, hpaStep, type HpaConfig, type HpaState } from './hpa';
import { percentilesInPlace, percentilesOfNonNegative } from './percentiles';
import { UniformStream } from './uniform-stream';
import type { ArrivalTimes } from './traffic';

/** How long one batch of k requests occupies a replica: (fixedS + perItemS·k)·X, E[X] = 1. */
export interface ServiceTimeSpec {
  /** Fixed time per batch, seconds. */
  fixedS: number;
  /** Extra time per request in the batch, seconds. */
  perItemS: number;
  /** Largest batch (1 = no batching). */
  maxBatch: number;
  /** Distribution of X. */
  distribution: 'exponential' | 'lognormal' | 'deterministic';
  /** Coefficient of variation of X for 'lognormal' (σ² of the log = ln(1 + cv²)). */
  cv: number;
}

/** Where the replica count comes from. */
export type CapacityPlan =
  | {
      /** A fixed fleet. */
      kind: 'fixed';
      /** Its size. */
      replicas: number;
    }
  | {
      /** Scheduled target counts (each change is subject to the start-up delay). */
      kind: 'schedule';
      /** Replicas at t = startS, ready at once. */
      initialReplicas: number;
      /** Target counts from the given times on, ascending in time. */
      changes: readonly { timeS: number; replicas: number }[];
    }
  | {
      /** The HPA (hpa.ts), stepped every config.syncPeriodS from startS + syncPeriodS. */
      kind: 'autoscaler';
      /** Its config. */
      hpa: HpaConfig;
      /** Replicas at t = startS, ready at once. */
      initialReplicas: number;
      /** The metric: mean utilisation of ready replicas, or arrivals per second per ready replica. */
      metric: 'utilisation' | 'arrivalRatePerReplica';
    };

/** Input of {@link simulateRequests}. */
export interface RequestSimInput {
  /** Sorted arrival times, seconds. */
  arrivals: ArrivalTimes;
  /** Service times. */
  service: ServiceTimeSpec;
  /** Replica count over time. */
  capacity: CapacityPlan;
  /** Seconds from a scale-up decision until the new replica serves. */
  startupDelayS: number;
  /** Most requests allowed to wait (Infinity = no limit); beyond it arrivals are dropped. */
  queueLimit: number;
  /** Start of the run (the first minute starts here), seconds. */
  startS: number;
  /** End of the run: no arrival at or after it is taken; a whole number of minutes after startS. */
  endS: number;
  /** SLO on each minute's p99 response time, ms (for the breach count). */
  sloP99Ms: number;
  /** Also return each request's wait (seconds) in `waitsS` (costs 4 bytes a request). */
  keepWaits?: boolean;
}

/** Per-minute series of a run (index = minute since startS). */
export interface RequestSimMinutes {
  /** Requests arriving in the minute. */
  arrivals: Int32Array;
  /** Of those, dropped at the queue. */
  dropped: Int32Array;
  /** p50 / p95 / p99 response time of the minute's admitted requests, ms (NaN if none). */
  p50Ms: Float64Array;
  /** 95th percentile, ms. */
  p95Ms: Float64Array;
  /** 99th percentile, ms. */
  p99Ms: Float64Array;
  /** Mean wait in queue of the minute's admitted requests, ms (NaN if none). */
  meanWaitMs: Float64Array;
  /** Time-averaged replicas ready to serve. */
  readyReplicas: Float64Array;
  /** Time-averaged replicas paid for (ready, starting or retiring). */
  provisionedReplicas: Float64Array;
  /** Replica-seconds spent serving. */
  busyReplicaSeconds: Float64Array;
  /** Busy ÷ ready replica-seconds (NaN when nothing was ready). */
  utilisation: Float64Array;
  /** Requests waiting at the end of the minute. */
  queueLengthEnd: Int32Array;
  /** Most requests waiting at any moment of the minute. */
  queueLengthMax: Int32Array;
  /** Target replica count at the end of the minute (HPA or schedule). */
  targetReplicas: Int32Array;
}

/** Result of {@link simulateRequests}. */
export interface RequestSimResult {
  /** Number of minutes. */
  minutes: number;
  /** Per-minute series. */
  perMinute: RequestSimMinutes;
  /** Requests that arrived in [startS, endS). */
  arrived: number;
  /** Requests completed by endS. */
  servedByEnd: number;
  /** Requests dropped at the queue. */
  dropped: number;
  /** Requests waiting at endS. */
  waitingAtEnd: number;
  /** Requests in service at endS. */
  inServiceAtEnd: number;
  /** Requests that got a response (all admitted ones, after draining; fewer if no replica was left). */
  responded: number;
  /** Mean wait in queue of responded requests, ms. */
  meanWaitMs: number;
  /** Mean response time, ms. */
  meanResponseMs: number;
  /** Exact p50 / p95 / p99 response time over the run, ms. */
  p50Ms: number;
  /** 95th percentile, ms. */
  p95Ms: number;
  /** 99th percentile, ms. */
  p99Ms: number;
  /** Minutes whose p99 exceeded the SLO. */
  sloBreachMinutes: number;
  /** Replica-seconds spent serving within [startS, endS). */
  busyReplicaSeconds: number;
  /** Replica-seconds paid for within [startS, endS) (ready, starting or retiring). */
  provisionedReplicaSeconds: number;
  /** Largest queue length seen. */
  maxQueueLength: number;
  /** Most replicas provisioned at once. */
  peakProvisionedReplicas: number;
  /** Each request's response time in seconds, by arrival index (NaN: dropped or never served). */
  responsesS: Float32Array;
  /** Each request's wait in seconds (only with keepWaits). */
  waitsS: Float32Array | null;
  /** The HPA's final state (autoscaler runs only). */
  hpa: HpaState | null;
}

/** Checks an input and throws a RangeError naming the first bad field. */
export function validateRequestSimInput(input: RequestSimInput): void {
  const { service, startS, endS } = input;
  if (!(service.fixedS >= 0 && service.perItemS >= 0 && service.fixedS + service.perItemS > 0))
    throw new RangeError('service times must be ≥ 0 with fixedS + perItemS > 0');
  if (!(Number.isInteger(service.maxBatch) && service.maxBatch >= 1))
    throw new RangeError('maxBatch must be an integer ≥ 1');
  if (service.distribution === 'lognormal' && !(service.cv > 0))
    throw new RangeError('a log-normal service time needs cv > 0');
  if (!(input.startupDelayS >= 0)) throw new RangeError('startupDelayS must be ≥ 0');
  if (!(input.queueLimit >= 0)) throw new RangeError('queueLimit must be ≥ 0');
  if (!(endS > startS) || !Number.isInteger((endS - startS) / 60))
    throw new RangeError('endS − startS must be a positive whole number of minutes');
  const cap = input.capacity;
  const initial = cap.kind === 'fixed' ? cap.replicas : cap.initialReplicas;
  if (!(Number.isInteger(initial) && initial >= 0))
    throw new RangeError('replica counts must be integers ≥ 0');
  if (cap.kind === 'schedule')
    for (let i = 0; i < cap.changes.length; i++) {
      const change = cap.changes[i] as { timeS: number; replicas: number };
      if (!(Number.isInteger(change.replicas) && change.replicas >= 0))
        throw new RangeError('scheduled replica counts must be integers ≥ 0');
      if (i > 0 && change.timeS < (cap.changes[i - 1] as { timeS: number }).timeS)
        throw new RangeError('schedule changes must be in time order');
    }
}

/** The label of the rng fork that service-time factors are drawn from (see uniform-stream.ts). */
export const SERVICE_STREAM = 'scaling/service';

const DIST_EXPONENTIAL = 0;
const DIST_LOGNORMAL = 1;
const DIST_DETERMINISTIC = 2;

/**
 * Runs the simulation described in the module comment. The service-time factors (one per
 * arriving request, in arrival order) come from `rng.fork(SERVICE_STREAM)`, so `rng` is not
 * advanced and the same seed gives the same run; the arrivals come in already drawn.
 */
export function simulateRequests(input: RequestSimInput, rng: Rng): RequestSimResult {
  validateRequestSimInput(input);
  const { service, capacity, startS, endS } = input;
  const arr = input.arrivals.timesS;
  // Only arrivals in [startS, endS) are taken.
  const first = lowerBound(arr, input.arrivals.count, startS);
  const n = lowerBound(arr, input.arrivals.count, endS);
  const minutes = Math.round((endS - startS) / 60);

  const fixedS = service.fixedS;
  const perItemS = service.perItemS;
  const singleS = fixedS + perItemS;
  const maxBatch = service.maxBatch;
  const dist =
    service.distribution === 'exponential'
      ? DIST_EXPONENTIAL
      : service.distribution === 'lognormal'
        ? DIST_LOGNORMAL
        : DIST_DETERMINISTIC;
  const logSigma = dist === DIST_LOGNORMAL ? Math.sqrt(Math.log(1 + service.cv * service.cv)) : 0;
  const logMu = -0.5 * logSigma * logSigma;
  const queueLimit = input.queueLimit;
  const startupDelayS = input.startupDelayS;
  const uniforms = new UniformStream(rng, SERVICE_STREAM);

  // Per-request results, by arrival index.
  // Every taken request's entry is written: a response when it starts, NaN when it is dropped
  // or is still waiting when nothing is left to serve it.
  const responses = new Float32Array(Math.max(n, 1));
  const waits = input.keepWaits ? new Float32Array(Math.max(n, 1)) : null;
  for (let k = 0; k < first; k++) {
    responses[k] = NaN;
    if (waits) waits[k] = NaN;
  }

  // Busy replicas: a min-heap of batch completion times with the batch sizes.
  let hTime: Float64Array = new Float64Array(64);
  let hCount: Int32Array = new Int32Array(64);
  let hSize = 0;
  let inService = 0; // requests in the heap's batches

  // FIFO queue of waiting requests (arrival index and service factor) in a growable ring.
  let qIdx: Int32Array = new Int32Array(1024);
  let qDraw: Float64Array = new Float64Array(1024);
  let qMask = 1023;
  let qHead = 0;
  let qLen = 0;

  // Replicas starting up: ready times, nondecreasing, in a growable ring (cancelled from the back).
  let sTime: Float64Array = new Float64Array(64);
  let sMask = 63;
  let sHead = 0;
  let sLen = 0;

  let target = capacity.kind === 'fixed' ? capacity.replicas : capacity.initialReplicas;
  let idle = target;
  let retirePending = 0;

  let dropped = 0;
  let servedByEnd = 0;
  let waitSumS = 0;
  let responseSumS = 0;
  let responded = 0;
  let maxQueue = 0;
  let peakProvisioned = target;
  let endWaiting = 0;
  let endInService = 0;

  // Replica-second areas (cumulative) and the per-minute series.
  let cumBusy = 0;
  let cumReady = 0;
  let cumProv = 0;
  let lastT = startS;
  const perMinute = allocateMinutes(minutes);
  const minuteWaitSumS = new Float64Array(minutes);
  let minuteIndex = 0;
  let nextMinuteT = startS + 60;
  let minuteBusy0 = 0;
  let minuteReady0 = 0;
  let minuteProv0 = 0;
  let minuteQueueMax = 0;

  // Capacity control: schedule changes or HPA ticks.
  let nextControlT = Infinity;
  let scheduleIndex = 0;
  let hpa: HpaState | null = null;
  let syncPeriodS = Infinity;
  let tickBusy0 = 0;
  let tickReady0 = 0;
  let tickArrivals0 = first;
  if (capacity.kind === 'schedule') {
    const change = capacity.changes[0];
    nextControlT = change ? Math.max(startS, change.timeS) : Infinity;
  } else if (capacity.kind === 'autoscaler') {
    hpa = createHpaState(capacity.hpa, target);
    syncPeriodS = capacity.hpa.syncPeriodS;
    nextControlT = startS + syncPeriodS;
  }

  let i = first; // the next arrival
  let draining = false;

  for (;;) {
    // The next event. At equal times: completions and start-ups, then minute ends and control,
    // then arrivals.
    const tA = i < n ? (arr[i] as number) : Infinity;
    const tD = hSize > 0 ? (hTime[0] as number) : Infinity;
    const tR = sLen > 0 ? (sTime[sHead] as number) : Infinity;
    const tDR = tD <= tR ? tD : tR;
    const tEdge = draining ? Infinity : nextMinuteT <= nextControlT ? nextMinuteT : nextControlT;
    let kind: number;
    let t: number;
    if (tDR <= tEdge && tDR <= tA) {
      t = tDR;
      kind = tD <= tR ? EV_DEPARTURE : EV_READY;
    } else if (tEdge <= tA) {
      t = tEdge;
      kind = nextMinuteT <= nextControlT ? EV_MINUTE : EV_CONTROL;
    } else {
      t = tA;
      kind = EV_ARRIVAL;
    }
    if (t === Infinity) break;

    if (!draining) {
      const dt = t - lastT;
      const ready = idle + hSize;
      cumBusy += hSize * dt;
      cumReady += ready * dt;
      cumProv += (ready + sLen) * dt;
      lastT = t;
    }

    if (kind === EV_ARRIVAL) {
      // Its service factor is drawn whatever happens to it, so runs stay comparable.
      const draw =
        dist === DIST_EXPONENTIAL
          ? -Math.log(1 - uniforms.next())
          : dist === DIST_LOGNORMAL
            ? Math.exp(logMu + logSigma * uniforms.normal())
            : 1;
      if (idle > 0) {
        idle--;
        const serviceS = singleS * draw;
        responses[i] = serviceS;
        if (waits) waits[i] = 0;
        responseSumS += serviceS;
        responded++;
        if (hSize === hTime.length) {
          hTime = growFloat(hTime, hTime.length * 2);
          hCount = growInt(hCount, hCount.length * 2);
        }
        siftUp(hTime, hCount, hSize++, t + serviceS, 1);
        inService++;
      } else if (qLen >= queueLimit) {
        responses[i] = NaN;
        if (waits) waits[i] = NaN;
        dropped++;
        const m = ((t - startS) / 60) | 0;
        perMinute.dropped[m] = (perMinute.dropped[m] as number) + 1;
      } else {
        if (qLen === qIdx.length) {
          const grown = growRing(qIdx, qDraw, qHead, qLen);
          qIdx = grown.idx;
          qDraw = grown.draw;
          qMask = qIdx.length - 1;
          qHead = 0;
        }
        const slot = (qHead + qLen) & qMask;
        qIdx[slot] = i;
        qDraw[slot] = draw;
        qLen++;
        if (qLen > minuteQueueMax) minuteQueueMax = qLen;
      }
      i++;
      continue;
    }

    let freeReplica = false;
    if (kind === EV_DEPARTURE) {
      const done = hCount[0] as number;
      if (!draining) servedByEnd += done;
      inService -= done;
      hSize--;
      if (hSize > 0)
        siftDown(hTime, hCount, hSize, hTime[hSize] as number, hCount[hSize] as number);
      if (retirePending > 0) retirePending--;
      else freeReplica = true;
    } else if (kind === EV_READY) {
      sHead = (sHead + 1) & sMask;
      sLen--;
      freeReplica = true;
    } else if (kind === EV_MINUTE) {
      const m = minuteIndex;
      perMinute.busyReplicaSeconds[m] = cumBusy - minuteBusy0;
      perMinute.readyReplicas[m] = (cumReady - minuteReady0) / 60;
      perMinute.provisionedReplicas[m] = (cumProv - minuteProv0) / 60;
      perMinute.utilisation[m] =
        cumReady > minuteReady0 ? (cumBusy - minuteBusy0) / (cumReady - minuteReady0) : NaN;
      perMinute.queueLengthEnd[m] = qLen;
      perMinute.queueLengthMax[m] = minuteQueueMax;
      perMinute.targetReplicas[m] = target;
      if (minuteQueueMax > maxQueue) maxQueue = minuteQueueMax;
      minuteBusy0 = cumBusy;
      minuteReady0 = cumReady;
      minuteProv0 = cumProv;
      minuteQueueMax = qLen;
      minuteIndex++;
      nextMinuteT = startS + 60 * (minuteIndex + 1);
      if (minuteIndex === minutes) {
        // endS: take the snapshot, freeze capacity, let the queue drain.
        endWaiting = qLen;
        endInService = inService;
        draining = true;
        retirePending = 0;
      }
    } else {
      // EV_CONTROL: the next target replica count.
      let wanted = target;
      if (capacity.kind === 'schedule') {
        wanted = (capacity.changes[scheduleIndex] as { replicas: number }).replicas;
        scheduleIndex++;
        const next = capacity.changes[scheduleIndex];
        nextControlT = next ? Math.max(t, next.timeS) : Infinity;
      } else if (hpa !== null && capacity.kind === 'autoscaler') {
        const ready = idle + hSize - retirePending;
        const readyArea = cumReady - tickReady0;
        const metric =
          capacity.metric === 'utilisation'
            ? readyArea > 0
              ? (cumBusy - tickBusy0) / readyArea
              : NaN
            : ready > 0
              ? (i - tickArrivals0) / syncPeriodS / ready
              : NaN;
        tickBusy0 = cumBusy;
        tickReady0 = cumReady;
        tickArrivals0 = i;
        hpa = hpaStep(hpa, { timeS: t, readyReplicas: ready > 0 ? ready : 0, metricValue: metric });
        wanted = hpa.replicas;
        nextControlT = t + syncPeriodS;
      }
      const committed = idle + hSize + sLen - retirePending;
      if (wanted > committed) {
        // Cancel pending retirements first, then start new replicas.
        let add = wanted - committed;
        const cancel = add < retirePending ? add : retirePending;
        retirePending -= cancel;
        add -= cancel;
        for (let k = 0; k < add; k++) {
          if (sLen === sTime.length) {
            sTime = unwrapRing(sTime, sHead, sLen, sTime.length * 2);
            sMask = sTime.length - 1;
            sHead = 0;
          }
          sTime[(sHead + sLen) & sMask] = t + startupDelayS;
          sLen++;
        }
      } else if (wanted < committed) {
        // Cancel replicas still starting (newest first), then idle ones, then retire busy ones.
        let remove = committed - wanted;
        const c1 = remove < sLen ? remove : sLen;
        sLen -= c1;
        remove -= c1;
        const c2 = remove < idle ? remove : idle;
        idle -= c2;
        remove -= c2;
        retirePending += remove;
      }
      target = wanted;
      const provisioned = idle + hSize + sLen;
      if (provisioned > peakProvisioned) peakProvisioned = provisioned;
    }

    if (freeReplica) {
      if (qLen > 0) {
        // Serve the oldest waiting requests, up to maxBatch, as one batch.
        const k = qLen < maxBatch ? qLen : maxBatch;
        const serviceS = (fixedS + perItemS * k) * (qDraw[qHead] as number);
        for (let j = 0; j < k; j++) {
          const idx = qIdx[qHead] as number;
          qHead = (qHead + 1) & qMask;
          const arrivalS = arr[idx] as number;
          const waitS = t - arrivalS;
          const responseS = waitS + serviceS;
          responses[idx] = responseS;
          if (waits) waits[idx] = waitS;
          waitSumS += waitS;
          responseSumS += responseS;
          const m = ((arrivalS - startS) / 60) | 0;
          minuteWaitSumS[m] = (minuteWaitSumS[m] as number) + waitS;
        }
        qLen -= k;
        responded += k;
        if (hSize === hTime.length) {
          hTime = growFloat(hTime, hTime.length * 2);
          hCount = growInt(hCount, hCount.length * 2);
        }
        siftUp(hTime, hCount, hSize++, t + serviceS, k);
        inService += k;
      } else idle++;
    }
    if (draining && hSize === 0 && sLen === 0) break; // nothing left that could serve
  }

  // Requests still waiting with no replica left to serve them have no response.
  for (let k = 0; k < qLen; k++) {
    const idx = qIdx[(qHead + k) & qMask] as number;
    responses[idx] = NaN;
    if (waits) waits[idx] = NaN;
  }
  const overall = responseSummary(
    arr,
    first,
    n,
    startS,
    minutes,
    responses,
    perMinute,
    dropped === 0 && qLen === 0,
  );
  let sloBreachMinutes = 0;
  for (let m = 0; m < minutes; m++) {
    const admitted = (perMinute.arrivals[m] as number) - (perMinute.dropped[m] as number);
    perMinute.meanWaitMs[m] =
      admitted > 0 ? ((minuteWaitSumS[m] as number) / admitted) * 1000 : NaN;
    if ((perMinute.p99Ms[m] as number) > input.sloP99Ms) sloBreachMinutes++;
  }
  return {
    minutes,
    perMinute,
    arrived: n - first,
    servedByEnd,
    dropped,
    waitingAtEnd: endWaiting,
    inServiceAtEnd: endInService,
    responded,
    meanWaitMs: responded > 0 ? (waitSumS / responded) * 1000 : NaN,
    meanResponseMs: responded > 0 ? (responseSumS / responded) * 1000 : NaN,
    p50Ms: overall[0] as number,
    p95Ms: overall[1] as number,
    p99Ms: overall[2] as number,
    sloBreachMinutes,
    busyReplicaSeconds: cumBusy,
    provisionedReplicaSeconds: cumProv,
    maxQueueLength: maxQueue,
    peakProvisionedReplicas: peakProvisioned,
    responsesS: responses,
    waitsS: waits,
    hpa,
  };
}

/** The first index in sorted[from, count) whose value is ≥ x (binary search). */
function lowerBound(sorted: Float64Array, count: number, x: number, from = 0): number {
  let lo = from;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EV_ARRIVAL = 0;
const EV_DEPARTURE = 1;
const EV_READY = 2;
const EV_MINUTE = 3;
const EV_CONTROL = 4;

/** Puts (time, count) at heap slot `pos` and moves it up to its place. */
function siftUp(
  hTime: Float64Array,
  hCount: Int32Array,
  start: number,
  time: number,
  count: number,
): void {
  let pos = start;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const pt = hTime[parent] as number;
    if (pt <= time) break;
    hTime[pos] = pt;
    hCount[pos] = hCount[parent] as number;
    pos = parent;
  }
  hTime[pos] = time;
  hCount[pos] = count;
}

/** Puts (time, count) at the heap's root (size `size`) and moves it down to its place. */
function siftDown(
  hTime: Float64Array,
  hCount: Int32Array,
  size: number,
  time: number,
  count: number,
): void {
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size && (hTime[right] as number) < (hTime[child] as number)) child = right;
    const ct = hTime[child] as number;
    if (ct >= time) break;
    hTime[pos] = ct;
    hCount[pos] = hCount[child] as number;
    pos = child;
  }
  hTime[pos] = time;
  hCount[pos] = count;
}

function growFloat(values: Float64Array, size: number): Float64Array {
  const grown = new Float64Array(size);
  grown.set(values);
  return grown;
}

function growInt(values: Int32Array, size: number): Int32Array {
  const grown = new Int32Array(size);
  grown.set(values);
  return grown;
}

/** Copies a ring's entries in order into a new array of `size` (a power of two). */
function unwrapRing(ring: Float64Array, head: number, length: number, size: number): Float64Array {
  const out = new Float64Array(size);
  const mask = ring.length - 1;
  for (let k = 0; k < length; k++) out[k] = ring[(head + k) & mask] as number;
  return out;
}

function growRing(
  idx: Int32Array,
  draw: Float64Array,
  head: number,
  length: number,
): { idx: Int32Array; draw: Float64Array } {
  const size = idx.length * 2;
  const mask = idx.length - 1;
  const idx2 = new Int32Array(size);
  const draw2 = new Float64Array(size);
  for (let k = 0; k < length; k++) {
    idx2[k] = idx[(head + k) & mask] as number;
    draw2[k] = draw[(head + k) & mask] as number;
  }
  return { idx: idx2, draw: draw2 };
}

function allocateMinutes(minutes: number): RequestSimMinutes {
  return {
    arrivals: new Int32Array(minutes),
    dropped: new Int32Array(minutes),
    p50Ms: new Float64Array(minutes).fill(NaN),
    p95Ms: new Float64Array(minutes).fill(NaN),
    p99Ms: new Float64Array(minutes).fill(NaN),
    meanWaitMs: new Float64Array(minutes).fill(NaN),
    readyReplicas: new Float64Array(minutes),
    provisionedReplicas: new Float64Array(minutes),
    busyReplicaSeconds: new Float64Array(minutes),
    utilisation: new Float64Array(minutes).fill(NaN),
    queueLengthEnd: new Int32Array(minutes),
    queueLengthMax: new Int32Array(minutes),
    targetReplicas: new Int32Array(minutes),
  };
}

/**
 * Fills the per-minute arrivals and p50/p95/p99 (by minute of arrival, over requests that got a
 * response) and returns the run's overall p50/p95/p99 in ms, all exact nearest-rank percentiles.
 * One pass copies the responses (skipping NaN) into a scratch array in arrival order, so each
 * minute is a contiguous range that is selected in place; the overall percentiles are then
 * selected on the whole scratch array.
 */
function responseSummary(
  arr: Float64Array,
  first: number,
  n: number,
  startS: number,
  minutes: number,
  responses: Float32Array,
  perMinute: RequestSimMinutes,
  everyoneResponded: boolean,
): number[] {
  const fractions = [0.5, 0.95, 0.99];
  const all = new Float32Array(Math.max(1, n - first));
  // With no NaN to skip, one block copy replaces the element-by-element filter.
  if (everyoneResponded) all.set(responses.subarray(first, n));
  let count = 0;
  let i = first;
  for (let m = 0; m < minutes; m++) {
    const minuteEnd = startS + (m + 1) * 60;
    const from = count;
    const firstIndex = i;
    if (everyoneResponded) {
      i = lowerBound(arr, n, minuteEnd, i);
      count += i - firstIndex;
    } else
      while (i < n && (arr[i] as number) < minuteEnd) {
        const r = responses[i] as number;
        if (r === r) all[count++] = r;
        i++;
      }
    perMinute.arrivals[m] = i - firstIndex;
    if (count > from) {
      const [p50, p95, p99] = percentilesInPlace(all, fractions, from, count);
      perMinute.p50Ms[m] = (p50 as number) * 1000;
      perMinute.p95Ms[m] = (p95 as number) * 1000;
      perMinute.p99Ms[m] = (p99 as number) * 1000;
    }
  }
  if (count === 0) return [NaN, NaN, NaN];
  return percentilesOfNonNegative(all, fractions, 0, count).map((v) => v * 1000);
}
