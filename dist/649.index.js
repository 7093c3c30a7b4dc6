export const id = 649;
export const ids = [649];
export const modules = {

/***/ 8877:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SO: () => (/* binding */ probeFailureMessage),
/* harmony export */   sK: () => (/* binding */ startTrafficProbe),
/* harmony export */   vQ: () => (/* binding */ finishTrafficProbe)
/* harmony export */ });
/* unused harmony exports TrafficProbe, describeWindows, probeMarkdown */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _parse_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2828);


// Failures closer together than this belong to one reported window.
const WINDOW_GAP_MS = 5000;
class TrafficProbe {
    deps;
    opts;
    samples = [];
    inFlight = 0;
    stopped = false;
    loop;
    pending = new Set();
    disabledReason;
    failingKind;
    constructor(deps, opts) {
        this.deps = deps;
        this.opts = opts;
    }
    get requests() {
        return this.samples.length;
    }
    get errors() {
        return this.samples.filter(s => !s.ok).length;
    }
    /**
     * One request before anything changes: if the URL cannot be reached at all (an internal ALB, a
     * runner outside the VPC), say so once and go on without the probe rather than failing.
     */
    async preflight() {
        const r = await this.deps.http({
            url: this.opts.url,
            headers: this.opts.headers,
            timeoutMs: this.timeoutMs
        });
        if (r.status === undefined) {
            this.disabledReason = `${this.opts.url} is not reachable from the runner (${r.error ?? 'error'}${r.errorMessage ? `: ${r.errorMessage}` : ''})`;
            this.deps.log.warning(`Traffic probe disabled: ${this.disabledReason}. The deploy goes on without it; set 'url' to an address the runner can reach, or 'probe: false' to silence this.`);
            return false;
        }
        if (!(0,_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .statusAccepted */ .Kt)(this.opts.accept, r.status)) {
            this.deps.log.warning(`Traffic probe: ${this.opts.url} answers ${r.status} before the deploy (expected ${this.opts.accept.text}); failures counted from now on may predate the deploy.`);
        }
        return true;
    }
    start() {
        if (this.disabledReason || this.loop)
            return;
        this.deps.log.info(`Traffic probe: ${this.rate} requests/s to ${this.opts.url}`);
        this.loop = this.run();
    }
    async stop() {
        this.stopped = true;
        await this.loop;
        await Promise.all([...this.pending]);
        return this.report();
    }
    get rate() {
        return this.opts.ratePerSecond ?? 5;
    }
    get timeoutMs() {
        return this.opts.requestTimeoutMs ?? 2000;
    }
    async run() {
        const interval = 1000 / this.rate;
        const maxConcurrency = this.opts.maxConcurrency ?? 10;
        const maxRequests = this.opts.maxRequests ?? 50_000;
        while (!this.stopped && this.samples.length + this.inFlight < maxRequests) {
            if (this.inFlight < maxConcurrency)
                this.fire();
            await this.deps.clock.sleep(interval);
        }
    }
    fire() {
        const atMs = this.deps.clock.now();
        this.inFlight++;
        const p = this.deps
            .http({ url: this.opts.url, headers: this.opts.headers, timeoutMs: this.timeoutMs })
            .then(r => {
            const ok = r.status !== undefined && (0,_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .statusAccepted */ .Kt)(this.opts.accept, r.status);
            this.samples.push({ atMs, status: r.status, error: r.error, latencyMs: r.latencyMs, ok });
            this.logTransition(ok ? undefined : String(r.status ?? r.error ?? 'error'), atMs);
        })
            .finally(() => {
            this.inFlight--;
            this.pending.delete(p);
        });
        this.pending.add(p);
    }
    /** One line when failures start (or change kind) and one when requests succeed again. */
    logTransition(failingKind, atMs) {
        if (failingKind === this.failingKind)
            return;
        this.failingKind = failingKind;
        this.deps.log.info(failingKind === undefined
            ? `Traffic probe: requests succeed again (${new Date(atMs).toISOString()})`
            : `Traffic probe: requests failing with ${failingKind} since ${new Date(atMs).toISOString()}`);
    }
    report() {
        const failures = this.samples.filter(s => !s.ok).sort((a, b) => a.atMs - b.atMs);
        const failuresByKind = {};
        const windows = [];
        for (const f of failures) {
            const kind = f.status !== undefined ? String(f.status) : (f.error ?? 'error');
            failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
            const w = windows.findLast(x => x.kind === kind);
            if (w && f.atMs - w.toMs <= WINDOW_GAP_MS) {
                w.count++;
                w.toMs = f.atMs;
            }
            else {
                windows.push({ kind, count: 1, fromMs: f.atMs, toMs: f.atMs });
            }
        }
        const latencies = this.samples
            .filter(s => s.status !== undefined)
            .map(s => s.latencyMs)
            .sort((a, b) => a - b);
        const pct = (p) => latencies.length === 0
            ? 0
            : latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
        return {
            url: this.opts.url,
            requests: this.samples.length,
            errors: failures.length,
            failuresByKind,
            windows: windows.sort((a, b) => a.fromMs - b.fromMs),
            latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
            skipped: this.disabledReason
        };
    }
}
function describeWindows(report) {
    const t = (ms) => new Date(ms).toISOString().slice(11, 19);
    return report.windows.map(w => `${w.kind} x ${w.count} between ${t(w.fromMs)} and ${t(w.toMs)}`);
}
/** `The traffic probe saw 14 failed request(s) during the rollout (...): 502 x 14 between ...`. */
function probeFailureMessage(report, during, maxErrors) {
    const windows = describeWindows(report).join('; ');
    return `The traffic probe saw ${report.errors} failed request(s) during the ${during} (more than 'max-probe-errors' ${maxErrors})${windows ? `: ${windows}` : ''}`;
}
function probeMarkdown(report) {
    if (report.skipped)
        return `Probe skipped: ${report.skipped}.`;
    const lines = [
        `| requests | failed | p50 | p95 | p99 |`,
        `| ---: | ---: | ---: | ---: | ---: |`,
        `| ${report.requests} | ${report.errors} | ${report.latencyMs.p50} ms | ${report.latencyMs.p95} ms | ${report.latencyMs.p99} ms |`
    ];
    const windows = describeWindows(report);
    if (windows.length > 0)
        lines.push('', '**Failed requests:**', '', ...windows.map(w => `- ${w}`));
    return lines.join('\n');
}
/**
 * Starts the probe on `baseUrl` + health-path while traffic moves. Undefined (nothing to stop) when
 * there is no URL the runner can reach, `probe: false`, or a dry run.
 */
async function startTrafficProbe(ctx, baseUrl) {
    const { settings, log } = ctx;
    if (!baseUrl)
        return undefined;
    const url = `${baseUrl}${settings.healthPath}`;
    if (!settings.probe) {
        log.info(`Traffic probe off ('probe: false')`);
        return undefined;
    }
    if (settings.dryRun) {
        log.info(`[dry-run] would probe GET ${url} while traffic moves`);
        return undefined;
    }
    const probe = new TrafficProbe(ctx, { url, accept: settings.healthStatus });
    await probe.preflight();
    probe.start();
    return probe;
}
/** Stops the probe and reports what it saw: outputs, a log line and a summary section. */
async function finishTrafficProbe(ctx, probe) {
    if (!probe)
        return undefined;
    const report = await probe.stop();
    ctx.log.section('Traffic probe', probeMarkdown(report));
    if (!report.skipped) {
        ctx.outputs.set(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.ProbeRequests, report.requests);
        ctx.outputs.set(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.ProbeErrors, report.errors);
        ctx.log.info(`Traffic probe: ${report.requests} request(s), ${report.errors} failed`);
    }
    return report;
}


/***/ }),

/***/ 2649:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  asgBlueGreen: () => (/* binding */ asgBlueGreen)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/probe.ts
var src_probe = __webpack_require__(8877);
// EXTERNAL MODULE: ./src/summary.ts
var summary = __webpack_require__(8855);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-auto-scaling/dist-cjs/index.js
var dist_cjs = __webpack_require__(8932);
;// CONCATENATED MODULE: ./src/aws/autoscaling.ts
// The thin layer over EC2 Auto Scaling: groups, capacity, target group attachments, Standby, tags,
// instance refreshes and scaling activities. One AWS operation per function (plus paging/batching).


// EnterStandby / ExitStandby take at most 20 instances per call.
const STANDBY_BATCH = 20;
// Right after CreateLaunchTemplateVersion, Auto Scaling may not see the new version yet (EC2 is
// eventually consistent) and refuses it: "ValidationError: You must use a valid fully-formed launch
// template". The Terraform AWS provider retries the same error; a few short retries cover it.
const TEMPLATE_ATTEMPTS = 8;
// UpdateAutoScalingGroup may also refuse while a scaling activity is in progress (a 400, so not
// retried as a transient error): it is, the activity ends by itself.
const SCALING_IN_PROGRESS = ['ScalingActivityInProgress', 'ScalingActivityInProgressFault'];
function isLaunchTemplateNotVisible(e) {
    return (0,errors/* hasErrorCode */.Ue)(e, 'ValidationError') && /valid fully-formed launch template/i.test((0,errors/* errorMessage */.gJ)(e));
}
async function describeAutoScalingGroups(aws, names) {
    const groups = [];
    let token;
    do {
        const out = await aws.read('autoscaling:DescribeAutoScalingGroups', () => aws.clients.autoscaling.send(new dist_cjs.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, NextToken: token })));
        groups.push(...(out.AutoScalingGroups ?? []));
        token = out.NextToken;
    } while (token);
    return groups;
}
/** UpdateAutoScalingGroup with only the fields given: capacity and/or the launch template version. */
async function updateAutoScalingGroup(aws, group, update) {
    const params = {
        AutoScalingGroupName: group,
        MinSize: update.minSize,
        MaxSize: update.maxSize,
        DesiredCapacity: update.desiredCapacity,
        LaunchTemplate: update.launchTemplate
    };
    const send = () => sent(aws.clients.autoscaling.send(new dist_cjs.UpdateAutoScalingGroupCommand(params)));
    await aws.write('autoscaling:UpdateAutoScalingGroup', withoutUndefined(params), () => retryingUpdate(aws, send, update.launchTemplate !== undefined), undefined);
}
async function retryingUpdate(aws, call, withTemplate) {
    await aws.retryOn(e => (withTemplate && isLaunchTemplateNotVisible(e)) || (0,errors/* hasErrorCode */.Ue)(e, ...SCALING_IN_PROGRESS), 'autoscaling:UpdateAutoScalingGroup', call, { attempts: TEMPLATE_ATTEMPTS });
}
async function attachTargetGroups(aws, group, targetGroupArns) {
    const input = { AutoScalingGroupName: group, TargetGroupARNs: targetGroupArns };
    await aws.write('autoscaling:AttachLoadBalancerTargetGroups', input, () => sent(aws.clients.autoscaling.send(new dist_cjs.AttachLoadBalancerTargetGroupsCommand(input))), undefined);
}
async function detachTargetGroups(aws, group, targetGroupArns) {
    const input = { AutoScalingGroupName: group, TargetGroupARNs: targetGroupArns };
    await aws.write('autoscaling:DetachLoadBalancerTargetGroups', input, () => sent(aws.clients.autoscaling.send(new dist_cjs.DetachLoadBalancerTargetGroupsCommand(input))), undefined);
}
/**
 * Moves instances to Standby, decrementing the desired capacity so the group launches no
 * replacements. The instances leave every attached target group (and drain) but keep running.
 */
async function enterStandby(aws, group, instanceIds) {
    for (let i = 0; i < instanceIds.length; i += STANDBY_BATCH) {
        const input = {
            AutoScalingGroupName: group,
            InstanceIds: instanceIds.slice(i, i + STANDBY_BATCH),
            ShouldDecrementDesiredCapacity: true
        };
        await aws.write('autoscaling:EnterStandby', input, () => sent(aws.clients.autoscaling.send(new dist_cjs.EnterStandbyCommand(input))), undefined);
    }
}
/** Returns Standby instances to service (desired capacity grows by as many); they rejoin attached target groups. */
async function exitStandby(aws, group, instanceIds) {
    for (let i = 0; i < instanceIds.length; i += STANDBY_BATCH) {
        const input = { AutoScalingGroupName: group, InstanceIds: instanceIds.slice(i, i + STANDBY_BATCH) };
        await aws.write('autoscaling:ExitStandby', input, () => sent(aws.clients.autoscaling.send(new dist_cjs.ExitStandbyCommand(input))), undefined);
    }
}
/** Sets tags on a group (not propagated to instances). */
async function tagGroup(aws, group, tags) {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({
        ResourceId: group,
        ResourceType: 'auto-scaling-group',
        Key,
        Value,
        PropagateAtLaunch: false
    }));
    await aws.write('autoscaling:CreateOrUpdateTags', { AutoScalingGroupName: group, Tags: tags }, () => sent(aws.clients.autoscaling.send(new dist_cjs.CreateOrUpdateTagsCommand({ Tags }))), undefined);
}
async function untagGroup(aws, group, keys) {
    const Tags = keys.map(Key => ({ ResourceId: group, ResourceType: 'auto-scaling-group', Key }));
    await aws.write('autoscaling:DeleteTags', { AutoScalingGroupName: group, Keys: keys }, () => sent(aws.clients.autoscaling.send(new dist_cjs.DeleteTagsCommand({ Tags }))), undefined);
}
/**
 * The group's instance refreshes, newest first, or `unsupported` when the endpoint does not
 * implement the operation (an emulator answering with a bare HTTP 500 page, not an AWS error).
 */
async function describeInstanceRefreshes(aws, group) {
    return aws.read('autoscaling:DescribeInstanceRefreshes', async () => {
        try {
            const out = await aws.clients.autoscaling.send(new dist_cjs.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, MaxRecords: 10 }));
            return out.InstanceRefreshes ?? [];
        }
        catch (e) {
            // Caught inside the read so the retry loop does not retry an operation that cannot succeed.
            if (isNotImplemented(e))
                return 'unsupported';
            throw e;
        }
    });
}
/** An answer that is not an AWS error at all: no error code, a 500/501 status, an HTML body. */
function isNotImplemented(e) {
    const code = (0,errors/* awsErrorCode */.J6)(e);
    if (code === 'NotImplemented' || code === 'NotImplementedException')
        return true;
    const status = e?.$metadata?.httpStatusCode;
    const body = e?.$response?.body;
    return (code === undefined &&
        (status === 500 || status === 501) &&
        typeof body === 'string' &&
        /<html|not (been )?implemented/i.test(body));
}
/** Recent scaling activities of a group, newest first (launch failures say why here). */
async function describeScalingActivities(aws, group) {
    const out = await aws.read('autoscaling:DescribeScalingActivities', () => aws.clients.autoscaling.send(new dist_cjs.DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 20 })));
    return out.Activities ?? [];
}
/** A mutating call's answer carries nothing the strategy needs. */
async function sent(call) {
    await call;
}
function withoutUndefined(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/model.ts
function toGroupView(g) {
    const lt = g.LaunchTemplate;
    return {
        name: g.AutoScalingGroupName ?? '',
        minSize: g.MinSize ?? 0,
        maxSize: g.MaxSize ?? 0,
        desired: g.DesiredCapacity ?? 0,
        instances: (g.Instances ?? []).map(i => ({
            id: i.InstanceId ?? '',
            lifecycle: i.LifecycleState ?? 'unknown',
            health: i.HealthStatus ?? 'unknown',
            protectedFromScaleIn: i.ProtectedFromScaleIn ?? false
        })),
        targetGroupArns: g.TargetGroupARNs ?? [],
        tags: Object.fromEntries((g.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? ''])),
        launchTemplate: lt
            ? { id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version }
            : undefined,
        otherLaunchSource: lt
            ? undefined
            : g.MixedInstancesPolicy
                ? 'a mixed instances policy'
                : g.LaunchConfigurationName
                    ? `launch configuration ${g.LaunchConfigurationName}`
                    : 'no launch template',
        healthCheckType: g.HealthCheckType ?? 'EC2',
        gracePeriodSeconds: g.HealthCheckGracePeriod ?? 0,
        status: g.Status,
        suspendedProcesses: (g.SuspendedProcesses ?? []).map(p => p.ProcessName ?? '').filter(Boolean),
        newInstancesProtected: g.NewInstancesProtectedFromScaleIn ?? false,
        hasWarmPool: g.WarmPoolConfiguration !== undefined
    };
}
/** Ids of the group's instances in one lifecycle state. */
function idsIn(group, lifecycle) {
    return group.instances.filter(i => i.lifecycle === lifecycle).map(i => i.id);
}
/** `InService 2, Standby 1` or `no instances`: how a group's fleet is logged. */
function lifecycleCounts(group) {
    if (group.instances.length === 0)
        return 'no instances';
    const counts = new Map();
    for (const i of group.instances) {
        const key = i.lifecycle === 'InService' && i.health !== 'Healthy' ? `InService (${i.health})` : i.lifecycle;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()].map(([state, n]) => `${state} ${n}`).join(', ');
}
// Lifecycle states an instance passes through; a group with one of them is still changing.
const TRANSITIONAL = /^(Pending|Terminating|Detaching|EnteringStandby|Warmed:Pending|Warmed:Terminating)/;
function transitionalInstances(group) {
    return group.instances.filter(i => TRANSITIONAL.test(i.lifecycle));
}
function describeTemplate(t) {
    if (!t)
        return 'none';
    return `${t.name ?? t.id ?? '?'} version ${t.version ?? '$Default'}`;
}
function toTargetStates(targets) {
    return new Map(targets.map(t => [
        t.Target?.Id ?? '',
        {
            state: t.TargetHealth?.State ?? 'unknown',
            reason: t.TargetHealth?.Reason,
            description: t.TargetHealth?.Description
        }
    ]));
}
// Registered and taking (or about to take) requests: what "serving" means for role detection.
const REGISTERED = new Set(['initial', 'healthy', 'unhealthy']);
function isRegistered(state) {
    return state !== undefined && REGISTERED.has(state);
}
/** `healthy 2, draining 1` over `ids` only, `not registered` for the ones the target group does not list. */
function statesOf(ids, targets) {
    if (ids.length === 0)
        return 'no instances';
    const counts = new Map();
    for (const id of ids) {
        const state = targets.get(id)?.state ?? 'not registered';
        counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    return [...counts.entries()].map(([state, n]) => `${state} ${n}`).join(', ');
}

// EXTERNAL MODULE: ./src/aws/elbv2.ts
var elbv2 = __webpack_require__(1000);
// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./src/explain.ts
var explain = __webpack_require__(4216);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(9810);
;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/waits.ts
// Every wait of the strategy: src/poll.ts's loop with one log line per change of state, a bound on
// each wait, a row in the summary's table, and no wait at all in dry-run.







const clockTime = (ms) => new Date(ms).toISOString().slice(11, 19);
/** A wait of this strategy: each change of state is a log line and a row of the summary's table. */
async function waitUntil(ctx, opts, check, tick) {
    const { clock, log, settings } = ctx;
    if (ctx.aws.dryRun) {
        log.info(`[dry-run] would wait ${opts.what} (up to ${(0,src_clock/* formatDuration */.a)(opts.timeoutSeconds)})`);
        return { done: true, status: 'dry-run', waitedMs: 0 };
    }
    const started = clock.now();
    const { done, last, waitedMs } = await (0,poll/* pollUntil */.g)(ctx, {
        key: opts.key,
        line: status => `Waiting ${opts.what}: ${status}`,
        onChange: r => log
            .table('Fleet and target health', ['at', 'waiting', 'state'])
            .add([clockTime(clock.now()), opts.what, r.status]),
        timeoutMs: opts.timeoutSeconds * 1000,
        intervalMs: settings.pollIntervalSeconds * 1000,
        deadline: 'clip',
        tick,
        timedOut: r => opts.onTimeout === 'continue'
            ? undefined
            : new errors/* DeployError */.sH(`Timed out after ${(0,src_clock/* formatDuration */.a)(opts.timeoutSeconds)} waiting ${opts.what}: ${r.status}.`, opts.hint?.(r.status) ?? `raise 'wait-timeout' if AWS is just slow here.`)
    }, check);
    if (done)
        log.info(`Done waiting ${opts.what}: ${last.status} (waited ${log.elapsed(started)})`);
    else
        log.info(`Stopped waiting ${opts.what} after ${log.elapsed(started)}, going on: ${last.status}`);
    return { done, status: last.status, waitedMs };
}
async function describeGroup(ctx, name) {
    const [g] = await describeAutoScalingGroups(ctx.aws, [name]);
    if (!g)
        throw new errors/* DeployError */.sH(`Auto Scaling group ${name} disappeared during the deploy.`, 'check who deleted it.');
    return toGroupView(g);
}
async function targetStates(ctx, targetGroupArn) {
    return toTargetStates(await (0,elbv2/* describeTargetHealth */.fw)(ctx.aws, targetGroupArn));
}
const tickOf = (flow) => () => flow.lock?.refreshIfDue() ?? Promise.resolve();
/**
 * Until `group` runs `desired` instances, all InService and Healthy; returns their ids. A failed
 * launch (bad AMI, quota, capacity) fails at once with AWS's reason instead of waiting it out.
 */
async function waitForFleet(flow, group, desired, sinceMs) {
    const { ctx } = flow;
    let ids = [];
    await waitUntil(ctx, {
        what: `until ${group} runs ${desired} InService instance(s)`,
        key: `fleet:${group}`,
        timeoutSeconds: ctx.settings.waitTimeoutSeconds,
        onTimeout: 'fail',
        hint: () => `read the scaling activities of ${group} (aws autoscaling describe-scaling-activities --auto-scaling-group-name ${group}); check the launch template (AMI, instance type, subnets) and the health-check grace period, or raise 'wait-timeout'.`
    }, async () => {
        const g = await describeGroup(ctx, group);
        ids = g.instances.filter(i => i.lifecycle === 'InService' && i.health === 'Healthy').map(i => i.id);
        const done = ids.length >= desired && g.instances.length === ids.length;
        if (done)
            return { done, status: lifecycleCounts(g) };
        return { done, status: lifecycleCounts(g), failure: await launchFailure(ctx, group, sinceMs) };
    }, tickOf(flow));
    return ids;
}
// A launch that failed for lack of EC2 capacity (in one zone, or of Spot): Auto Scaling keeps trying,
// in other zones too, and usually succeeds soon. Only wait-timeout ends that wait.
const PASSING_SHORTAGE = /InsufficientInstanceCapacity|do not have sufficient [\w.-]+ capacity|capacity-not-available|InsufficientCapacity/i;
function isPassingShortage(activityText) {
    return PASSING_SHORTAGE.test(activityText);
}
async function launchFailure(ctx, group, sinceMs) {
    const activities = await describeScalingActivities(ctx.aws, group);
    const textOf = (a) => [a.StatusMessage, a.Description, a.Cause].filter(Boolean).join(' ');
    const recentFailures = activities.filter(a => (a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled') &&
        (a.StartTime === undefined || a.StartTime.getTime() >= sinceMs - 1000));
    const failed = recentFailures.find(a => !isPassingShortage(textOf(a)));
    const shortage = recentFailures.find(a => isPassingShortage(textOf(a)));
    if (shortage)
        ctx.log.change(`shortage:${group}`, `${group}: a launch failed for lack of EC2 capacity (${shortage.StatusMessage ?? 'InsufficientInstanceCapacity'}); Auto Scaling keeps trying, in other zones too`);
    if (!failed)
        return undefined;
    const text = textOf(failed);
    const explained = (0,explain/* explainFirst */.G)([text]);
    return new errors/* DeployError */.sH(`${group} failed to launch instances: ${failed.StatusMessage ?? failed.Description ?? 'scaling activity failed'}.`, explained?.fix ??
        `read the scaling activity above and check the launch template (AMI, instance type, key pair, security groups, IAM instance profile) and the account quotas.`);
}
/** Until `group` has no instances left at all. */
async function waitForEmpty(flow, group, onTimeout) {
    const { ctx } = flow;
    const r = await waitUntil(ctx, {
        what: `until ${group} has no instances`,
        key: `empty:${group}`,
        timeoutSeconds: ctx.settings.waitTimeoutSeconds,
        onTimeout,
        hint: () => `check ${group} for scale-in protection, lifecycle hooks or suspended processes that keep instances from terminating.`
    }, async () => {
        const g = await describeGroup(ctx, group);
        return { done: g.instances.length === 0, status: lifecycleCounts(g) };
    }, tickOf(flow));
    return r.done;
}
/** Until every one of `ids` is `healthy` in the target group. */
async function waitForHealthy(flow, targetGroup, ids, what = `until the new instances are healthy in ${targetGroup.name}`) {
    const { ctx } = flow;
    let reasons = [];
    await waitUntil(ctx, {
        what,
        key: `healthy:${targetGroup.arn}:${ids.join(',')}`,
        timeoutSeconds: ctx.settings.waitTimeoutSeconds,
        onTimeout: 'fail',
        hint: () => (0,explain/* explainFirst */.G)(reasons)?.fix ??
            `check the target group's health check (path, port, matcher) against what the new version serves, the security groups between the load balancer and the instances, and the application logs.`
    }, async () => {
        const states = await targetStates(ctx, targetGroup.arn);
        reasons = ids.flatMap(id => {
            const s = states.get(id);
            return s && s.state !== 'healthy' ? [[s.reason, s.description].filter(Boolean).join(' ')] : [];
        });
        const healthy = ids.filter(id => states.get(id)?.state === 'healthy').length;
        const detail = reasons.find(r => r !== '');
        return {
            done: ids.length > 0 && healthy === ids.length,
            status: `${statesOf(ids, states)}${detail ? ` (${detail})` : ''}`
        };
    }, tickOf(flow));
}
/**
 * Until none of `ids` is registered or draining in the target group any more, bounded by the
 * deregistration delay: after that the load balancer has closed their connections anyway, so the
 * flow goes on with what it saw.
 */
async function waitForDrained(flow, targetGroup, ids, boundSeconds, who) {
    const { ctx } = flow;
    return waitUntil(ctx, {
        what: `until ${who} ${ids.length === 1 ? 'has' : 'have'} left ${targetGroup.name}`,
        key: `drained:${targetGroup.arn}:${ids.join(',')}`,
        timeoutSeconds: Math.max(0, boundSeconds),
        onTimeout: 'continue'
    }, async () => {
        const states = await targetStates(ctx, targetGroup.arn);
        const still = ids.filter(id => {
            const s = states.get(id)?.state;
            return s !== undefined && s !== 'unused' && s !== 'unavailable';
        });
        return { done: still.length === 0, status: statesOf(ids, states) };
    }, tickOf(flow));
}
/**
 * Until none of `ids` is still EnteringStandby (Auto Scaling keeps an instance there while the load
 * balancer drains it); returns the ones in Standby (the only state ExitStandby accepts) and the ones
 * that never left service.
 */
async function waitForStandby(flow, group, ids) {
    const { ctx } = flow;
    if (ctx.aws.dryRun)
        return { inStandby: ids, inService: [] };
    let inStandby = [];
    let inService = [];
    await waitUntil(ctx, {
        what: `until ${group}'s instances have finished entering Standby`,
        key: `standby:${group}`,
        timeoutSeconds: ctx.settings.waitTimeoutSeconds,
        onTimeout: 'fail'
    }, async () => {
        const g = await describeGroup(ctx, group);
        const mine = g.instances.filter(i => ids.includes(i.id));
        inStandby = mine.filter(i => i.lifecycle === 'Standby').map(i => i.id);
        inService = mine.filter(i => i.lifecycle === 'InService').map(i => i.id);
        return {
            done: !mine.some(i => i.lifecycle === 'EnteringStandby'),
            status: lifecycleCounts({ ...g, instances: mine })
        };
    }, tickOf(flow));
    return { inStandby, inService };
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/cutover.ts
// Cutover: the new fleet joins the main target group and must be healthy there before a single old
// instance leaves it; then the old instances go to Standby (they leave the target group and drain,
// and keep running for an instant rollback).




async function cutover(flow) {
    const { ctx, main, standby } = flow;
    const { log } = ctx;
    log.info(`Attaching ${standby.name} to ${main.name}: both fleets serve until the new one is healthy`);
    await attachTargetGroups(ctx.aws, standby.name, [main.arn]);
    flow.attachedToMain = true;
    await waitForHealthy(flow, main, flow.newIds, `until the new fleet is healthy in ${main.name}`);
    const old = ctx.aws.dryRun ? flow.active : await describeGroup(ctx, flow.active.name);
    const ids = idsIn(old, 'InService');
    if (ids.length === 0 || !old.targetGroupArns.includes(main.arn)) {
        // A first deploy: the old fleet takes no traffic, so there is nothing to keep in Standby.
        log.info(ids.length === 0
            ? `${old.name} has no InService instance to take out of traffic`
            : `${old.name} is not attached to ${main.name}: its instances take no traffic and are retired at the end`);
        // A dry run moves no traffic: the active group stays the one that serves.
        if (!ctx.aws.dryRun)
            ctx.outputs.set(constants/* Outputs */.tY.ActiveAsg, standby.name);
        return;
    }
    // Standby decrements the desired capacity, which may not go below the minimum.
    if (old.minSize > 0) {
        log.info(`Lowering ${old.name}'s MinSize from ${old.minSize} to 0 so its instances can enter Standby`);
        flow.oldMinSize = old.minSize;
        await updateAutoScalingGroup(ctx.aws, old.name, { minSize: 0 });
    }
    log.info(`Moving ${ids.length} instance(s) of ${old.name} to Standby: they leave ${main.name} and drain`);
    // Recorded first: from here on, a failure (even halfway through the batches) means a rollback.
    flow.oldIds = ids;
    flow.standbyAtMs = ctx.clock.now();
    await enterStandby(ctx.aws, old.name, ids);
    if (!ctx.aws.dryRun) {
        ctx.outputs.set(constants/* Outputs */.tY.ActiveAsg, standby.name);
        const states = await targetStates(ctx, main.arn);
        log.info(`${main.name} now: new fleet ${statesOf(flow.newIds, states)}; old fleet ${statesOf(ids, states)}`);
    }
}

// EXTERNAL MODULE: ./src/aws/tags.ts
var aws_tags = __webpack_require__(9580);
;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/roles.ts
// Which group is active and which is standby, decided from what AWS says now: traffic first (the
// group whose InService instances are registered in the main target group), the zdt:role tags only
// when traffic cannot tell (a first deploy), and never memory.




/** The group's InService instances that the target group lists as registered (not draining). */
function servingIds(group, targets) {
    return idsIn(group, 'InService').filter(id => isRegistered(targets.get(id)?.state));
}
function taggedRole(group) {
    return group.tags[constants/* Tags */.YD.Role];
}
function decideRoles(blue, green, mainTargets) {
    const serving = new Map([
        [blue.name, servingIds(blue, mainTargets)],
        [green.name, servingIds(green, mainTargets)]
    ]);
    const blueServes = (serving.get(blue.name) ?? []).length > 0;
    const greenServes = (serving.get(green.name) ?? []).length > 0;
    const pick = (active, firstDeploy, reason, warnings = []) => {
        const standby = active === blue ? green : blue;
        return {
            ok: true,
            roles: { active, standby, servingIds: serving.get(active.name) ?? [], firstDeploy, reason, warnings }
        };
    };
    if (blueServes && greenServes) {
        return {
            ok: false,
            message: `Both groups serve traffic: ${blue.name} has ${serving.get(blue.name)?.length} and ${green.name} has ${serving.get(green.name)?.length} InService instance(s) registered in the target group, and no deploy is in progress.`,
            hint: `a previous deploy stopped during its cutover. Decide which version should serve, detach the other group from the target group (aws autoscaling detach-load-balancer-target-groups --auto-scaling-group-name <group> --target-group-arns <arn>), then run the deploy again.`
        };
    }
    if (blueServes || greenServes) {
        const active = blueServes ? blue : green;
        const standby = blueServes ? green : blue;
        const n = serving.get(active.name)?.length ?? 0;
        const warnings = [];
        if (taggedRole(active) === 'standby' || taggedRole(standby) === 'active') {
            warnings.push(`The ${constants/* Tags */.YD.Role} tags say ${standby.name} is active, but traffic reaches ${active.name}: trusting traffic (the tags are corrected when this deploy ends).`);
        }
        return pick(active, false, `${active.name} serves traffic: ${n} InService instance(s) registered in the target group`, warnings);
    }
    // Neither serves: a first deploy (or one after a manual detach). The group with a fleet is the
    // one to copy the size from; the tags break a tie; blue is the convention when nothing tells.
    const sized = [blue, green].filter(g => g.desired > 0);
    if (sized.length === 1) {
        return pick(sized[0], true, `neither group serves traffic yet (first deploy); ${sized[0].name} has a fleet (desired ${sized[0].desired}), so it counts as the active group`);
    }
    const tagged = [blue, green].filter(g => taggedRole(g) === 'active');
    if (tagged.length === 1) {
        return pick(tagged[0], true, `neither group serves traffic yet (first deploy); ${tagged[0].name} is tagged ${constants/* Tags */.YD.Role}=active`);
    }
    return pick(blue, true, `neither group serves traffic yet (first deploy) and nothing tells them apart: ${blue.name} (blue-asg) counts as the active group`);
}
/** zdt:role plus the ownership tags, written on both groups whenever a deploy ends with the roles known. */
function roleTags(role, repository) {
    return { [constants/* Tags */.YD.Role]: role, ...(0,aws_tags/* managedTags */.L8)(repository) };
}
async function writeRoleTags(ctx, active, standby) {
    await tagGroup(ctx.aws, active, roleTags('active', ctx.event.repository));
    await tagGroup(ctx.aws, standby, roleTags('standby', ctx.event.repository));
    ctx.log.info(`Tagged ${active} ${constants/* Tags */.YD.Role}=active and ${standby} ${constants/* Tags */.YD.Role}=standby`);
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/finish.ts
// Finish: the old group leaves the main target group *before* its instances leave Standby, so they
// never take traffic again; then it scales to zero and the role tags swap.




async function finish(flow) {
    const { ctx, main, synthetic, active, standby } = flow;
    const { log } = ctx;
    const old = ctx.aws.dryRun ? active : await describeGroup(ctx, active.name);
    const oldAttached = old.targetGroupArns.filter(a => a === main.arn || a === synthetic?.arn);
    if (oldAttached.length > 0) {
        log.info(`Detaching ${old.name} from ${oldAttached.length === 2 ? 'both target groups' : main.name}, before its instances leave Standby`);
        await detachTargetGroups(ctx.aws, old.name, oldAttached);
    }
    if (flow.oldIds.length > 0) {
        // The old instances have been draining since they entered Standby: wait out what is left.
        const drainedFor = flow.standbyAtMs === undefined ? 0 : (ctx.clock.now() - flow.standbyAtMs) / 1000;
        await waitForDrained(flow, main, flow.oldIds, Math.max(0, main.deregistrationDelaySeconds - drainedFor), 'the old instances');
    }
    if (synthetic && flow.attachedToSynthetic) {
        log.info(`Detaching ${standby.name} from the synthetic target group ${synthetic.name}`);
        await detachTargetGroups(ctx.aws, standby.name, [synthetic.arn]);
        flow.attachedToSynthetic = false;
    }
    const leftover = old.instances.filter(i => i.lifecycle === 'Standby' || i.lifecycle === 'EnteringStandby');
    const inStandby = ctx.aws.dryRun
        ? flow.oldIds
        : (await waitForStandby(flow, old.name, leftover.map(i => i.id))).inStandby;
    // Standby instances are not terminated by a scale-in; detached above, they come back to no traffic.
    if (inStandby.length > 0)
        await exitStandby(ctx.aws, old.name, inStandby);
    log.info(`Scaling ${old.name} to zero`);
    await updateAutoScalingGroup(ctx.aws, old.name, { minSize: 0, desiredCapacity: 0 });
    if (!(await waitForEmpty(flow, old.name, 'continue'))) {
        log.warning(`${old.name} still has instances terminating after wait-timeout; none of them is in a target group.`);
    }
    await writeRoleTags(ctx, standby.name, old.name);
    // A dry run changed nothing: active-asg stays the group that serves (set in the pre-flight).
    if (!ctx.aws.dryRun) {
        ctx.outputs.set(constants/* Outputs */.tY.ActiveAsg, standby.name);
        ctx.outputs.set(constants/* Outputs */.tY.PreviousAsg, old.name);
    }
    ctx.state.setRolledBack(false);
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/lock.ts
// The deploy lock: a zdt:lock tag on both groups, `<ISO time> run <run id> <owner/repo>`. A lock
// younger than wait-timeout means a deploy is in progress; an older one was left by a run that died.
// A long deploy refreshes its lock so it never looks abandoned while it is alive.




function formatLock(atMs, runId, repository) {
    // Tag values allow letters, digits, spaces and _ . : / = + - @ only.
    const safe = (s) => s.replace(/[^\w.:/=+\-@]/g, '_');
    return `${new Date(atMs).toISOString()} run ${safe(runId || 'local')}${repository ? ` ${safe(repository)}` : ''}`;
}
function parseLock(raw) {
    if (!raw)
        return undefined;
    const m = /^(\S+)\s+run\s+(\S+)(?:\s+(\S+))?/.exec(raw.trim());
    if (!m)
        return undefined;
    const atMs = Date.parse(m[1]);
    if (Number.isNaN(atMs))
        return undefined;
    return { atMs, runId: m[2], repository: m[3] ?? '', raw };
}
function lockAgeSeconds(lock, nowMs) {
    return Math.max(0, (nowMs - lock.atMs) / 1000);
}
/** A lock younger than `maxAgeSeconds` belongs to a deploy that is still running. */
function lockIsFresh(lock, nowMs, maxAgeSeconds) {
    return lockAgeSeconds(lock, nowMs) < maxAgeSeconds;
}
function describeHolder(lock) {
    return `run ${lock.runId}${lock.repository ? ` of ${lock.repository}` : ''} since ${new Date(lock.atMs).toISOString()}`;
}
class DeployLock {
    ctx;
    groups;
    value;
    writtenAtMs = 0;
    constructor(ctx, 
    /** The first one holds the authoritative copy. */
    groups) {
        this.ctx = ctx;
        this.groups = groups;
    }
    /**
     * Takes the lock, or returns false when another run holds it or wins the race for it. The first
     * group ('blue-asg') holds the authoritative copy: this run writes it, waits, and reads it back;
     * two runs writing at once both read the later value, so exactly one goes on. The other group
     * gets a mirror, so either group shows who is deploying.
     */
    async acquire() {
        const { ctx } = this;
        const [primary, ...mirrors] = this.groups;
        const value = formatLock(ctx.clock.now(), ctx.event.runId, ctx.event.repository);
        if (!ctx.aws.dryRun) {
            const holder = await this.foreignHolder();
            if (holder) {
                ctx.log.info(`Lock: ${holder} took the lock meanwhile, letting it go first`);
                return false;
            }
        }
        this.value = value;
        await this.write([primary]);
        if (!ctx.aws.dryRun) {
            // Two polls: long enough for a concurrent writer's call (a throttled retry or two) to land first.
            await ctx.clock.sleep(2 * ctx.settings.pollIntervalSeconds * 1000);
            const [g] = (await describeAutoScalingGroups(ctx.aws, [primary])).map(toGroupView);
            if (g?.tags[constants/* Tags */.YD.Lock] !== value) {
                ctx.log.info(`Lock: ${primary} now carries ${constants/* Tags */.YD.Lock}=${g?.tags[constants/* Tags */.YD.Lock] ?? '(none)'}; another deploy started at the same moment, letting it go first`);
                this.value = undefined;
                return false;
            }
        }
        await this.write(mirrors);
        ctx.log.info(`Lock taken: ${constants/* Tags */.YD.Lock}=${value} on ${this.groups.join(' and ')}`);
        return true;
    }
    /** Another run's fresh lock on any group, described; undefined when there is none. */
    async foreignHolder() {
        const { ctx } = this;
        const groups = (await describeAutoScalingGroups(ctx.aws, this.groups)).map(toGroupView);
        for (const g of groups) {
            const lock = parseLock(g.tags[constants/* Tags */.YD.Lock]);
            if (lock && lockIsFresh(lock, ctx.clock.now(), ctx.settings.waitTimeoutSeconds))
                return describeHolder(lock);
        }
        return undefined;
    }
    /** Rewrites the lock's time when it is getting old, so a long deploy keeps its lock fresh. */
    async refreshIfDue() {
        const { ctx } = this;
        if (!this.value || ctx.aws.dryRun)
            return;
        const everyMs = Math.min(300, ctx.settings.waitTimeoutSeconds / 3) * 1000;
        if (ctx.clock.now() - this.writtenAtMs < everyMs)
            return;
        this.value = formatLock(ctx.clock.now(), ctx.event.runId, ctx.event.repository);
        await this.write(this.groups);
        ctx.log.debug(`Lock refreshed: ${this.value}`);
    }
    /** Removes the lock from the groups that still carry ours; never fails the run. */
    async release() {
        const { ctx } = this;
        if (!this.value)
            return;
        try {
            if (ctx.aws.dryRun) {
                for (const g of this.groups)
                    await untagGroup(ctx.aws, g, [constants/* Tags */.YD.Lock]);
                return;
            }
            const groups = (await describeAutoScalingGroups(ctx.aws, this.groups)).map(toGroupView);
            for (const g of groups) {
                if (g.tags[constants/* Tags */.YD.Lock] === this.value)
                    await untagGroup(ctx.aws, g.name, [constants/* Tags */.YD.Lock]);
                else
                    ctx.log.warning(`Lock: ${g.name} carries ${constants/* Tags */.YD.Lock}=${g.tags[constants/* Tags */.YD.Lock] ?? '(none)'}, not this run's lock: left as it is.`);
            }
            ctx.log.info(`Lock released on ${this.groups.join(' and ')}`);
            this.value = undefined;
        }
        catch (e) {
            ctx.log.warning(`Could not release the deploy lock (${(0,errors/* errorMessage */.gJ)(e)}): remove the ${constants/* Tags */.YD.Lock} tag from ${this.groups.join(' and ')}, or the next deploy waits until it is older than wait-timeout.`);
        }
    }
    async write(groups) {
        for (const g of groups)
            await tagGroup(this.ctx.aws, g, { [constants/* Tags */.YD.Lock]: this.value ?? '' });
        this.writtenAtMs = this.ctx.clock.now();
    }
}

// EXTERNAL MODULE: ./src/aws/rules.ts
var aws_rules = __webpack_require__(2922);
;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/plan.ts



/** The new fleet matches today's: the active group's min, max and desired capacity. */
function capacityFor(active) {
    return { minSize: active.minSize, maxSize: active.maxSize, desired: active.desired };
}
function templatePlan(settings, active, standby) {
    const needsLaunchTemplate = (g) => ({
        message: `${g.name} launches from ${g.otherLaunchSource}, not a launch template.`,
        hint: `asg-blue-green changes the launch template version of the standby group: give both groups a launch template (LaunchTemplate with a version, not a launch configuration or a mixed instances policy).`
    });
    if (settings.amiId) {
        if (!standby.launchTemplate)
            return needsLaunchTemplate(standby);
        // A shared template: copy the version that serves now, not the standby's, which is from the
        // deploy before last and would undo whatever the last deploy changed (user data, type, ...).
        const base = active.launchTemplate && sameTemplate(active.launchTemplate, standby.launchTemplate)
            ? active.launchTemplate
            : standby.launchTemplate;
        return { kind: 'new-ami', template: base, imageId: settings.amiId };
    }
    if (settings.launchTemplateVersion) {
        if (!standby.launchTemplate)
            return needsLaunchTemplate(standby);
        return { kind: 'version', template: standby.launchTemplate, version: settings.launchTemplateVersion };
    }
    if (!active.launchTemplate)
        return needsLaunchTemplate(active);
    return { kind: 'same-as-active', template: active.launchTemplate };
}
function sameTemplate(a, b) {
    return a.id !== undefined && b.id !== undefined ? a.id === b.id : a.name !== undefined && a.name === b.name;
}
// Processes the deploy needs: the standby group launches, registers its instances when attached and
// terminates on scale-in; the active group re-registers on a rollback and terminates at the end.
const NEEDED_PROCESSES = {
    standby: ['Launch', 'Terminate', 'AddToLoadBalancer'],
    active: ['Terminate', 'AddToLoadBalancer']
};
/** Suspended processes that would stall the deploy (a fleet that never launches, registers or retires). */
function suspendedProcessesProblem(active, standby) {
    const blocking = (g, role) => (g.suspendedProcesses ?? []).filter(p => NEEDED_PROCESSES[role].includes(p));
    const found = [
        { g: standby, procs: blocking(standby, 'standby') },
        { g: active, procs: blocking(active, 'active') }
    ].filter(x => x.procs.length > 0);
    if (found.length === 0)
        return undefined;
    return {
        message: `Suspended Auto Scaling processes would stall the deploy: ${found.map(x => `${x.g.name} has ${x.procs.join(', ')} suspended`).join('; ')}.`,
        hint: found
            .map(x => `aws autoscaling resume-processes --auto-scaling-group-name ${x.g.name} --scaling-processes ${x.procs.join(' ')}`)
            .join('; then ')
    };
}
/**
 * Scale-in protection keeps instances running when the desired capacity drops: the standby group
 * could not be emptied, the old fleet never retires, and with NewInstancesProtectedFromScaleIn the
 * fleet this deploy launches could not be retired by the next one.
 */
function scaleInProtectionProblem(active, standby) {
    const issues = [];
    const hints = [];
    for (const g of [standby, active]) {
        const ids = g.instances.filter(i => i.protectedFromScaleIn).map(i => i.id);
        if (ids.length > 0) {
            issues.push(`${g.name}'s instances ${ids.join(', ')} are protected from scale-in`);
            hints.push(`aws autoscaling set-instance-protection --auto-scaling-group-name ${g.name} --no-protected-from-scale-in --instance-ids ${ids.join(' ')}`);
        }
        if (g.newInstancesProtected) {
            issues.push(`${g.name} protects new instances from scale-in`);
            hints.push(`aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${g.name} --no-new-instances-protected-from-scale-in`);
        }
    }
    if (issues.length === 0)
        return undefined;
    return {
        message: `Scale-in protection would keep instances running when asg-blue-green scales a group to zero: ${issues.join('; ')}.`,
        hint: hints.join('; then ')
    };
}
/**
 * A warm pool's instances were launched from the template version of their day, and a change of
 * version does not replace them (only an instance refresh does): the new fleet would scale out with
 * instances of an older version.
 */
function warmPoolProblem(standby) {
    if (!standby.hasWarmPool)
        return undefined;
    return {
        message: `${standby.name} has a warm pool: its pre-initialized instances keep the launch template version they were launched from, so the new fleet would come up (partly) on an older version.`,
        hint: `delete the warm pool of both groups (aws autoscaling delete-warm-pool --auto-scaling-group-name ${standby.name} --force-delete); asg-blue-green brings up a whole fleet per deploy and does not use one.`
    };
}
function describeTemplatePlan(plan) {
    switch (plan.kind) {
        case 'new-ami':
            return `a new version of ${describeTemplate(plan.template)} with image ${plan.imageId} (nothing else changes)`;
        case 'version':
            return `${describeTemplate({ ...plan.template, version: plan.version })}`;
        case 'same-as-active':
            return `${describeTemplate(plan.template)} (the active group's, a redeploy: neither 'ami-id' nor 'launch-template-version' is set)`;
    }
}
// ALB's limits on an http-header rule condition (HttpHeaderConditionConfig): CreateRule refuses
// more, and a Host condition must be a host-header one. Checked before anything changes.
const HEADER_NAME_MAX = 40;
const HEADER_VALUE_MAX = 128;
/** Why ALB would refuse (or misread) a header rule for `header`; undefined when it is fine. */
function headerRuleProblem(header) {
    const fix = `set 'synthetic-header' to a custom header such as 'X-Synthetic: true'.`;
    if (header.name.toLowerCase() === 'host')
        return {
            message: `'synthetic-header' uses the Host header: an ALB http-header rule cannot match Host (only a host-header rule can).`,
            hint: fix
        };
    if (header.name.length > HEADER_NAME_MAX)
        return {
            message: `'synthetic-header' name '${header.name}' is ${header.name.length} characters long: an ALB header rule takes at most ${HEADER_NAME_MAX}.`,
            hint: fix
        };
    if (header.value.length > HEADER_VALUE_MAX)
        return {
            message: `'synthetic-header' value is ${header.value.length} characters long: an ALB header rule takes at most ${HEADER_VALUE_MAX}.`,
            hint: fix
        };
    return undefined;
}
/** ALB reads `*` and `?` in a header rule's value as wildcards: the rule matches more than this value. */
function headerValueHasWildcards(header) {
    return /[*?]/.test(header.value);
}
/** Whether the listener already routes the synthetic header to the synthetic target group. */
function headerRuleState(rules, header, syntheticTargetGroupArn) {
    const rule = rules.find(r => !r.IsDefault && (0,aws_rules/* matchesHeader */.Vv)(r, header));
    if (rule) {
        const forwardsTo = (0,aws_rules/* forwardTargets */.iO)(rule.Actions);
        return forwardsTo.length === 1 && forwardsTo[0] === syntheticTargetGroupArn
            ? { kind: 'present', rule }
            : { kind: 'conflict', rule, forwardsTo };
    }
    const priority = lowestFreePriority(rules);
    const rulesBefore = rules.filter(r => !r.IsDefault && Number(r.Priority) < priority).length;
    return { kind: 'missing', priority, rulesBefore };
}
/** The smallest rule priority (1..50000) no rule uses: the header rule is evaluated as early as it can be. */
function lowestFreePriority(rules) {
    const used = new Set(rules.filter(r => !r.IsDefault).map(r => Number(r.Priority)));
    for (let p = 1; p <= 50_000; p++)
        if (!used.has(p))
            return p;
    return 50_000;
}
/** The least time the deploy can take with these settings, and the sum that gives it. */
function estimateMinimum(i) {
    const terms = [[i.bootSeconds, 'boot (assumed)']];
    if (i.synthetic) {
        terms.push([
            i.synthetic.intervalSeconds * i.synthetic.healthyThreshold,
            `healthy in the synthetic target group (${i.synthetic.intervalSeconds}s x ${i.synthetic.healthyThreshold})`
        ]);
    }
    terms.push([
        i.main.intervalSeconds * i.main.healthyThreshold,
        `healthy in the main target group (${i.main.intervalSeconds}s x ${i.main.healthyThreshold})`
    ]);
    terms.push([i.validationWindowSeconds, 'validation window']);
    // The old fleet drains while the window runs; only what is left of the delay adds up.
    terms.push([
        Math.max(0, i.deregistrationDelaySeconds - i.validationWindowSeconds),
        `drain left after the window (deregistration delay ${i.deregistrationDelaySeconds}s)`
    ]);
    const seconds = terms.reduce((sum, [s]) => sum + s, 0);
    return {
        seconds,
        arithmetic: `${terms.map(([s, what]) => `${(0,src_clock/* formatDuration */.a)(s)} ${what}`).join(' + ')} = ${(0,src_clock/* formatDuration */.a)(seconds)}`
    };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var client_ec2_dist_cjs = __webpack_require__(5193);
;// CONCATENATED MODULE: ./src/aws/ec2.ts
// The thin layer over EC2 launch templates: read a version, create a new one from it.


/** One version (`7`, `$Latest`, `$Default`) of a launch template; undefined when it does not exist. */
async function describeLaunchTemplateVersion(aws, template, version) {
    try {
        const out = await aws.read('ec2:DescribeLaunchTemplateVersions', () => aws.clients.ec2.send(new client_ec2_dist_cjs.DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: template.id,
            LaunchTemplateName: template.id ? undefined : template.name,
            Versions: [version]
        })));
        return out.LaunchTemplateVersions?.[0];
    }
    catch (e) {
        if ((0,errors/* hasErrorCode */.Ue)(e, 'InvalidLaunchTemplateId.VersionNotFound', 'InvalidLaunchTemplateId.NotFound', 'InvalidLaunchTemplateName.NotFoundException'))
            return undefined;
        throw e;
    }
}
/**
 * A new version of `templateId` copied from `sourceVersion` with only the image changed: everything
 * else the launch template says (instance type, security groups, user data...) is kept.
 * Returns the new version number (undefined in dry-run) and the validation warnings EC2 gave: it
 * creates a version even when some of its parameters are not valid, and says so only there.
 */
async function createLaunchTemplateVersion(aws, templateId, sourceVersion, imageId, description, 
/** Idempotency token: a retried call returns the version the first one created. */
clientToken) {
    const out = await aws.write('ec2:CreateLaunchTemplateVersion', { LaunchTemplateId: templateId, SourceVersion: sourceVersion, ImageId: imageId }, () => aws.clients.ec2.send(new client_ec2_dist_cjs.CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: templateId,
        SourceVersion: sourceVersion,
        VersionDescription: description.slice(0, 255),
        ClientToken: clientToken?.slice(0, 64),
        LaunchTemplateData: { ImageId: imageId }
    })), { $metadata: {} });
    const warnings = (out.Warning?.Errors ?? []).map(e => [e.Code, e.Message].filter(Boolean).join(': '));
    return { version: out.LaunchTemplateVersion?.VersionNumber, warnings };
}

// EXTERNAL MODULE: ./src/smoke.ts
var smoke = __webpack_require__(2754);
;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/busy.ts







const REFRESH_RUNNING = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);
/** Why a deploy cannot start now; empty when nothing is in progress. */
function busyReasons(input) {
    const reasons = [];
    for (const g of input.groups) {
        const raw = g.tags[constants/* Tags */.YD.Lock];
        const lock = parseLock(raw);
        if (raw && raw !== input.ownLock && lock && lockIsFresh(lock, input.nowMs, input.waitTimeoutSeconds)) {
            // No age in the line: it is logged once per change of state, not once per poll.
            reasons.push(`${g.name} is locked by ${describeHolder(lock)}`);
        }
        const refreshes = input.refreshes.get(g.name);
        if (Array.isArray(refreshes)) {
            for (const r of refreshes.filter(x => REFRESH_RUNNING.has(x.Status ?? ''))) {
                reasons.push(`${g.name} has instance refresh ${r.InstanceRefreshId ?? '?'} ${r.Status}${r.PercentageComplete !== undefined ? ` (${r.PercentageComplete}% done)` : ''}`);
            }
        }
        const moving = transitionalInstances(g);
        if (moving.length > 0) {
            const counts = new Map();
            for (const i of moving)
                counts.set(i.lifecycle, (counts.get(i.lifecycle) ?? 0) + 1);
            reasons.push(`${g.name} has instances still changing: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`);
        }
    }
    return reasons;
}
/** Ignored locks worth a warning: too old to be alive, or not in the form this action writes. */
function staleLocks(groups, nowMs, waitTimeoutSeconds) {
    const notes = [];
    for (const g of groups) {
        const raw = g.tags[constants/* Tags */.YD.Lock];
        if (!raw)
            continue;
        const lock = parseLock(raw);
        if (!lock)
            notes.push(`${g.name} carries ${constants/* Tags */.YD.Lock}=${raw}, which is not a lock this action wrote: ignored`);
        else if (!lockIsFresh(lock, nowMs, waitTimeoutSeconds))
            notes.push(`${g.name} carries a stale lock from ${describeHolder(lock)} (${(0,src_clock/* formatDuration */.a)(lockAgeSeconds(lock, nowMs))} old, more than wait-timeout): taken over`);
    }
    return notes;
}
async function observeGroups(ctx) {
    const { blueAsg, greenAsg } = ctx.settings;
    const found = (await describeAutoScalingGroups(ctx.aws, [blueAsg, greenAsg])).map(toGroupView);
    const missing = [blueAsg, greenAsg].filter(n => !found.some(g => g.name === n));
    if (missing.length > 0) {
        throw new errors/* DeployError */.sH(`Auto Scaling group${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} not found in ${ctx.settings.region}.`, `check 'blue-asg' and 'green-asg' (group names, not ARNs) and 'aws-region'.`);
    }
    return [blueAsg, greenAsg].map(n => found.find(g => g.name === n));
}
async function observeRefreshes(ctx, groups) {
    const result = new Map();
    for (const g of groups) {
        const r = await describeInstanceRefreshes(ctx.aws, g.name);
        // An endpoint without instance refreshes (an emulator) has none in progress.
        if (r === 'unsupported')
            ctx.log.debug(`DescribeInstanceRefreshes is not implemented here: no refresh assumed for ${g.name}`);
        result.set(g.name, r);
    }
    return result;
}
/**
 * Observes both groups until nothing is in progress, waiting up to wait-timeout, and returns what
 * it saw last. In dry-run it reports what a real run would wait for and does not wait.
 */
async function waitWhileBusy(ctx, ownLock) {
    const { settings, clock, log } = ctx;
    const started = clock.now();
    const { last, looks } = await (0,poll/* pollUntil */.g)(ctx, {
        key: 'busy',
        line: reasons => `Waiting for a deploy in progress: ${reasons}`,
        timeoutMs: settings.waitTimeoutSeconds * 1000,
        intervalMs: settings.pollIntervalSeconds * 1000,
        deadline: 'whole',
        timedOut: ({ reasons }) => new errors/* DeployError */.sH(`Another deploy is still in progress after ${(0,src_clock/* formatDuration */.a)(settings.waitTimeoutSeconds)}: ${reasons.join('; ')}.`, `let it finish (or cancel it), then run this deploy again; a lock left by a run that died expires once it is older than 'wait-timeout', or remove the ${constants/* Tags */.YD.Lock} tag from both groups by hand. A workflow 'concurrency:' group keeps deploys of one environment from overlapping.`)
    }, async () => {
        const groups = await observeGroups(ctx);
        const reasons = busyReasons({
            groups,
            refreshes: await observeRefreshes(ctx, groups),
            nowMs: clock.now(),
            waitTimeoutSeconds: settings.waitTimeoutSeconds,
            ownLock
        });
        if (reasons.length === 0)
            return { done: true, groups, reasons };
        if (ctx.aws.dryRun) {
            log.info(`[dry-run] a deploy is in progress (${reasons.join('; ')}): a real run would wait for it, up to ${(0,src_clock/* formatDuration */.a)(settings.waitTimeoutSeconds)}`);
            return { done: true, groups, reasons };
        }
        return { done: false, status: reasons.join('; '), groups, reasons };
    });
    if (last.reasons.length === 0 && looks > 1)
        log.info(`No deploy in progress any more (waited ${log.elapsed(started)})`);
    return last.groups;
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/advice.ts
// Settings that cost a blue/green deploy time or safety, each with what to change: printed in the
// pre-flight and the job summary, never a reason to refuse.

// Checks that take longer than this to admit a new instance are worth a recommendation.
const SLOW_HEALTHY_SECONDS = 90;
// Draining longer than this is waited out at the cutover and again in a rollback.
const LONG_DEREGISTRATION_DELAY_SECONDS = 120;
function recommendations(active, main) {
    const advice = [];
    const admit = main.healthyThreshold * main.intervalSeconds;
    if (admit > SLOW_HEALTHY_SECONDS) {
        advice.push(`Target group ${main.name} needs ${main.healthyThreshold} passing checks ${main.intervalSeconds}s apart (${(0,src_clock/* formatDuration */.a)(admit)}) before a new instance gets traffic, at the cutover and again in a rollback: 2-3 checks every 10-15s prove a healthy ${main.healthCheckPath} as well.`);
    }
    if (main.deregistrationDelaySeconds > LONG_DEREGISTRATION_DELAY_SECONDS) {
        advice.push(`Target group ${main.name} drains for ${main.deregistrationDelaySeconds}s: the cutover and a rollback each wait that long. Lower deregistration_delay.timeout_seconds to just above your slowest request (e.g. 30-120s).`);
    }
    if (main.healthCheckPath === '/') {
        advice.push(`Target group ${main.name} health-checks '/': apps often redirect or render a full page there. Add a cheap /healthz endpoint and point the health check at it.`);
    }
    if (active.healthCheckType !== 'ELB') {
        advice.push(`${active.name} uses ${active.healthCheckType} health checks: Auto Scaling does not replace an instance that fails the load balancer's health check. Set the groups' health check type to ELB.`);
    }
    return advice;
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/preflight.ts
// Pre-flight: read-only. Waits for a deploy already in progress, finds the roles from traffic,
// reports the setup (capacity, health checks, draining) with an estimated minimum duration, and
// refuses before anything changes when the setup cannot work.














// Assumed boot time of an instance, for the estimate only.
const BOOT_SECONDS = 60;
async function preflight(ctx) {
    const { settings: s, log } = ctx;
    const main = await targetGroupInfo(ctx, s.targetGroupArn, constants/* Inputs */.G0.TargetGroup);
    let synthetic;
    let ruleState;
    if (s.syntheticTargetGroupArn && s.listenerArn) {
        if (s.syntheticTargetGroupArn === s.targetGroupArn) {
            throw new errors/* DeployError */.sH(`'${constants/* Inputs */.G0.SyntheticTargetGroup}' and '${constants/* Inputs */.G0.TargetGroup}' are the same target group: the new fleet would get production traffic before it is checked.`, `create a separate target group for synthetic checks (same port and health check), reached only by the '${s.syntheticHeader.name}' header rule.`);
        }
        const headerProblem = headerRuleProblem(s.syntheticHeader);
        if (headerProblem)
            throw new errors/* DeployError */.sH(headerProblem.message, headerProblem.hint);
        if (headerValueHasWildcards(s.syntheticHeader))
            log.warning(`'${constants/* Inputs */.G0.SyntheticHeader}' value '${s.syntheticHeader.value}' contains * or ?, which the ALB rule reads as wildcards: requests with other values of ${s.syntheticHeader.name} reach the synthetic target group too.`);
        const info = await targetGroupInfo(ctx, s.syntheticTargetGroupArn, constants/* Inputs */.G0.SyntheticTargetGroup);
        const listener = await (0,elbv2/* describeListener */.gx)(ctx.aws, s.listenerArn).catch((e) => {
            if ((0,errors/* hasErrorCode */.Ue)(e, 'ListenerNotFound', 'ValidationError'))
                throw new errors/* DeployError */.sH(`Listener ${s.listenerArn} ('${constants/* Inputs */.G0.ListenerArn}') was not found: ${(0,errors/* errorMessage */.gJ)(e)}.`, `set '${constants/* Inputs */.G0.ListenerArn}' to the ARN of the ALB listener that gets the synthetic header rule (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>) in the region the action runs in.`, { cause: e });
            throw e;
        });
        ruleState = headerRuleState(await (0,elbv2/* describeRules */.NH)(ctx.aws, s.listenerArn), s.syntheticHeader, info.arn);
        if (ruleState.kind === 'conflict') {
            throw new errors/* DeployError */.sH(`The listener already has a rule for '${s.syntheticHeader.name}: ${s.syntheticHeader.value}' (priority ${ruleState.rule.Priority}), but it forwards to ${ruleState.forwardsTo.join(', ') || 'no target group'}, not to the synthetic target group.`, `point that rule at ${info.arn}, delete it (the deploy then creates one), or set 'synthetic-header' to another header.`);
        }
        const lb = await (0,elbv2/* describeLoadBalancer */.mD)(ctx.aws, listener.LoadBalancerArn ?? '');
        const url = s.url ?? (0,elbv2/* listenerUrl */.Cx)(lb, listener);
        synthetic = { ...info, listenerArn: s.listenerArn, url, reachable: s.url !== undefined };
    }
    // A deploy in progress is waited for before roles are read: its half-moved traffic would mislead.
    const [blue, green] = await waitWhileBusy(ctx);
    for (const note of staleLocks([blue, green], ctx.clock.now(), s.waitTimeoutSeconds))
        log.warning(note);
    const mainTargets = await targetStates(ctx, main.arn);
    const decision = decideRoles(blue, green, mainTargets);
    if (!decision.ok)
        throw new errors/* DeployError */.sH(decision.message, decision.hint);
    const { roles } = decision;
    for (const w of roles.warnings)
        log.warning(w);
    const { active, standby } = roles;
    if (active.desired === 0) {
        throw new errors/* DeployError */.sH(`Neither ${blue.name} nor ${green.name} has a fleet to copy the size of the new one from (both have desired capacity 0), and neither serves traffic.`, `set the min/max/desired capacity of ${active.name} to the fleet you want (e.g. aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${active.name} --min-size 1 --max-size 4 --desired-capacity 2), or attach the group that should serve to the target group, then deploy again.`);
    }
    if (standby.status || active.status) {
        const g = standby.status ? standby : active;
        throw new errors/* DeployError */.sH(`${g.name} is '${g.status}'.`, `wait until the group is usable again, then deploy.`);
    }
    const suspended = suspendedProcessesProblem(active, standby);
    if (suspended)
        throw new errors/* DeployError */.sH(suspended.message, suspended.hint);
    const protection = scaleInProtectionProblem(active, standby);
    if (protection)
        throw new errors/* DeployError */.sH(protection.message, protection.hint);
    const warmPool = warmPoolProblem(standby);
    if (warmPool)
        throw new errors/* DeployError */.sH(warmPool.message, warmPool.hint);
    const template = templatePlan(s, active, standby);
    if (!('kind' in template))
        throw new errors/* DeployError */.sH(template.message, template.hint);
    const launch = await resolveLaunch(ctx, template);
    const url = s.url ?? (await productionUrl(ctx, main));
    let reachableUrl = s.url;
    if (!s.url && url) {
        log.info(`URL: ${url} (derived from the load balancer of ${main.name})`);
        const reason = await (0,smoke/* unreachableReason */.N4)(ctx.http, url);
        if (reason === undefined)
            reachableUrl = url;
        else
            log.warning((0,smoke/* unreachableNotice */.LR)(url, reason, constants/* Inputs */.G0.Url));
    }
    if (synthetic && !s.url) {
        // Usually the same load balancer as production: ask only when it is another address.
        const reason = synthetic.url === url
            ? reachableUrl
                ? undefined
                : 'unreachable'
            : await (0,smoke/* unreachableReason */.N4)(ctx.http, synthetic.url);
        synthetic.reachable = reason === undefined;
        if (reason !== undefined && synthetic.url !== url)
            log.warning((0,smoke/* unreachableNotice */.LR)(synthetic.url, reason, constants/* Inputs */.G0.Url));
    }
    const capacity = capacityFor(active);
    report(ctx, { active, standby, reason: roles.reason, main, synthetic, ruleState, template });
    const estimate = estimateMinimum({
        bootSeconds: BOOT_SECONDS,
        main: main,
        synthetic,
        validationWindowSeconds: s.validationWindowSeconds,
        deregistrationDelaySeconds: main.deregistrationDelaySeconds
    });
    log.info(`Estimated minimum duration: ${estimate.arithmetic}`);
    log.section('Pre-flight', preflightMarkdown(ctx, {
        active,
        standby,
        reason: roles.reason,
        main,
        synthetic,
        template,
        estimate: estimate.arithmetic,
        capacity
    }));
    return {
        ctx,
        roles,
        active,
        standby,
        capacity,
        template,
        launch,
        main,
        synthetic,
        url,
        reachableUrl,
        lock: undefined,
        newIds: [],
        oldIds: [],
        oldMinSize: undefined,
        standbyAtMs: undefined,
        attachedToMain: false,
        attachedToSynthetic: false,
        probe: undefined
    };
}
async function targetGroupInfo(ctx, arn, input) {
    const tg = await (0,elbv2/* describeTargetGroup */.__)(ctx.aws, arn).catch((e) => {
        // ELB answers a well-formed ARN of no target group, or a malformed one, with an error.
        if ((0,errors/* hasErrorCode */.Ue)(e, 'TargetGroupNotFound', 'ValidationError'))
            throw new errors/* DeployError */.sH(`Target group ${arn} ('${input}') was not found: ${(0,errors/* errorMessage */.gJ)(e)}.`, `set '${input}' to the ARN of an existing target group (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>) in the region the action runs in.`, { cause: e });
        throw e;
    });
    if (tg.TargetType && tg.TargetType !== 'instance') {
        throw new errors/* DeployError */.sH(`Target group ${tg.TargetGroupName} ('${input}') registers targets by ${tg.TargetType}, not by instance: Auto Scaling groups can only be attached to instance target groups.`, `use a target group of target type 'instance'.`);
    }
    return {
        arn,
        name: tg.TargetGroupName ?? arn,
        intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
        healthyThreshold: tg.HealthyThresholdCount ?? 5,
        deregistrationDelaySeconds: await (0,elbv2/* deregistrationDelaySeconds */.ZF)(ctx.aws, arn),
        healthCheckPath: tg.HealthCheckPath ?? '/',
        loadBalancerArns: tg.LoadBalancerArns ?? []
    };
}
/** The template id and the version the new fleet launches from; refuses a version that does not exist. */
async function resolveLaunch(ctx, plan) {
    const wanted = plan.kind === 'version' ? plan.version : (plan.template.version ?? '$Default');
    const found = await describeLaunchTemplateVersion(ctx.aws, plan.template, wanted);
    if (!found?.LaunchTemplateId) {
        throw new errors/* DeployError */.sH(`Launch template ${describeTemplate({ ...plan.template, version: wanted })} was not found.`, plan.kind === 'version'
            ? `check 'launch-template-version' (a version number, $Latest or $Default of the standby group's launch template).`
            : `check the launch template of the group: it may have been deleted.`);
    }
    if (plan.kind === 'new-ami') {
        return { templateId: found.LaunchTemplateId, sourceVersion: String(found.VersionNumber ?? wanted) };
    }
    // Pinned: a group left on $Latest would launch whatever version a later deploy creates.
    const pinned = String(found.VersionNumber ?? wanted);
    if (pinned !== wanted)
        ctx.log.info(`Launch template version ${wanted} is version ${pinned} now: pinned to it`);
    return { templateId: found.LaunchTemplateId, version: pinned };
}
/**
 * The URL production traffic arrives at: the listener of the target group's load balancer that
 * forwards to it. Undefined when no load balancer uses the target group (no smoke test, no probe).
 */
async function productionUrl(ctx, main) {
    const lbArn = main.loadBalancerArns[0];
    if (!lbArn) {
        ctx.log.info(`Notice: no '${constants/* Inputs */.G0.Url}' input and ${main.name} is not used by any load balancer: the smoke tests and the traffic probe are skipped; the target group's health checks still gate every step.`);
        return undefined;
    }
    const lb = await (0,elbv2/* describeLoadBalancer */.mD)(ctx.aws, lbArn);
    const listeners = await (0,elbv2/* describeListeners */.Pd)(ctx.aws, lbArn);
    const forwards = (l) => (0,aws_rules/* forwardsTo */.SX)(l.DefaultActions, main.arn);
    const byPreference = [...listeners].sort((a, b) => Number(forwards(b)) - Number(forwards(a)) ||
        Number(b.Protocol === 'HTTPS') - Number(a.Protocol === 'HTTPS'));
    if (!byPreference[0]) {
        ctx.log.info(`Notice: load balancer ${lb.LoadBalancerName} has no listener: the smoke tests and the traffic probe are skipped.`);
        return undefined;
    }
    return (0,elbv2/* listenerUrl */.Cx)(lb, byPreference[0]);
}
function groupLine(g) {
    return `min ${g.minSize} / max ${g.maxSize} / desired ${g.desired}; ${lifecycleCounts(g)}; health check ${g.healthCheckType} (grace ${g.gracePeriodSeconds}s); launch template ${describeTemplate(g.launchTemplate)}; ${constants/* Tags */.YD.Role}=${g.tags[constants/* Tags */.YD.Role] ?? '(none)'}`;
}
function tgLine(tg) {
    return `health check ${tg.healthCheckPath} every ${tg.intervalSeconds}s, healthy after ${tg.healthyThreshold} (${(0,src_clock/* formatDuration */.a)(tg.intervalSeconds * tg.healthyThreshold)}), deregistration delay ${tg.deregistrationDelaySeconds}s`;
}
function report(ctx, r) {
    const { log, settings: s } = ctx;
    log.info(`Active: ${r.active.name} (${r.reason})`);
    log.info(`  ${groupLine(r.active)}`);
    log.info(`Standby: ${r.standby.name}`);
    log.info(`  ${groupLine(r.standby)}`);
    log.info(`Target group ${r.main.name}: ${tgLine(r.main)}`);
    if (r.synthetic) {
        log.info(`Synthetic target group ${r.synthetic.name}: ${tgLine(r.synthetic)}`);
        const rule = r.ruleState?.kind === 'present'
            ? `present (priority ${r.ruleState.rule.Priority})`
            : r.ruleState?.kind === 'missing'
                ? `missing: it will be created at priority ${r.ruleState.priority}${r.ruleState.rulesBefore > 0 ? ` (${r.ruleState.rulesBefore} rule(s) are evaluated before it)` : ''}`
                : 'unknown';
        log.info(`Header rule '${s.syntheticHeader.name}: ${s.syntheticHeader.value}' on the listener: ${rule}`);
    }
    else {
        log.info(`No 'synthetic-target-group': the new fleet is checked by the main target group's health check only, before it takes traffic.`);
    }
    log.info(`New fleet on ${r.standby.name}: ${r.active.desired} instance(s) (min ${r.active.minSize}, max ${r.active.maxSize}) from ${describeTemplatePlan(r.template)}`);
    log.info(`A rollback in the validation window takes at least ${(0,src_clock/* formatDuration */.a)(r.main.intervalSeconds * r.main.healthyThreshold)} (the old instances pass ${r.main.healthyThreshold} health checks again), plus, within ${r.main.deregistrationDelaySeconds}s of the cutover, the time they still need to finish draining into Standby`);
    for (const advice of recommendations(r.active, r.main))
        log.info(`Recommendation: ${advice}`);
    const standbyInstances = idsIn(r.standby, 'Standby').length;
    if (r.standby.instances.length > 0) {
        log.info(`${r.standby.name} still runs ${lifecycleCounts(r.standby)}${standbyInstances > 0 ? ' (left by an earlier deploy)' : ''}: it is emptied first.`);
    }
}
function preflightMarkdown(ctx, r) {
    const row = (role, g) => `| ${role} | \`${g.name}\` | ${g.minSize} / ${g.maxSize} / ${g.desired} | ${lifecycleCounts(g)} | ${g.healthCheckType} | ${describeTemplate(g.launchTemplate)} |`;
    const lines = [
        `| role | group | min / max / desired | instances | health check | launch template |`,
        `| --- | --- | --- | --- | --- | --- |`,
        row('active', r.active),
        row('standby', r.standby),
        '',
        `- Roles: ${r.reason}.`,
        `- Target group \`${r.main.name}\`: ${tgLine(r.main)}.`
    ];
    if (r.synthetic)
        lines.push(`- Synthetic target group \`${r.synthetic.name}\`: ${tgLine(r.synthetic)}.`);
    lines.push(`- New fleet: ${r.capacity.desired} instance(s) from ${describeTemplatePlan(r.template)}.`, `- Validation window: ${(0,src_clock/* formatDuration */.a)(ctx.settings.validationWindowSeconds)}.`, `- Estimated minimum duration: ${r.estimate}.`);
    for (const advice of recommendations(r.active, r.main))
        lines.push(`- 💡 ${(0,summary/* escapeMd */.Xk)(advice)}`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/prepare.ts
// Prepare standby: an empty group, out of production traffic, given the new version and today's
// size; then wait until every new instance is InService.




async function prepareStandby(flow) {
    const { ctx, standby, capacity } = flow;
    await emptyStandby(flow);
    const version = await versionForStandby(flow);
    const since = ctx.clock.now();
    ctx.log.info(`Scaling ${standby.name} to ${capacity.desired} instance(s) (min ${capacity.minSize}, max ${capacity.maxSize}, as ${flow.active.name}) on launch template ${flow.launch.templateId} version ${version ?? '(the new one)'}`);
    await updateAutoScalingGroup(ctx.aws, standby.name, {
        // Undefined only in dry-run, where the call is printed, not made.
        launchTemplate: { LaunchTemplateId: flow.launch.templateId, Version: version ?? '<new version>' },
        minSize: capacity.minSize,
        maxSize: capacity.maxSize,
        desiredCapacity: capacity.desired
    });
    flow.newIds = await waitForFleet(flow, standby.name, capacity.desired, since);
    if (flow.newIds.length > 0)
        ctx.log.info(`${standby.name} is up after ${ctx.log.elapsed(since)}: ${flow.newIds.join(', ')}`);
}
/**
 * No instance of an older version may linger in the standby group, and none of the new ones may
 * reach production before it is checked: detach the group from the main target group first, bring
 * leftover Standby instances back only once detached, then scale to zero.
 */
async function emptyStandby(flow) {
    const { ctx, main } = flow;
    const g = ctx.aws.dryRun ? flow.standby : await describeGroup(ctx, flow.standby.name);
    if (g.targetGroupArns.includes(main.arn)) {
        ctx.log.info(`${g.name} is attached to ${main.name}: detaching it, so new instances get production traffic only at the cutover`);
        await detachTargetGroups(ctx.aws, g.name, [main.arn]);
    }
    if (g.instances.length === 0 && g.desired === 0) {
        ctx.log.info(`${g.name} has no instances`);
        return;
    }
    const started = ctx.clock.now();
    ctx.log.info(`Emptying ${g.name} (${lifecycleCounts(g)})`);
    const inStandby = idsIn(g, 'Standby');
    // Standby instances are not terminated by a scale-in: bring them back (detached above) first.
    if (inStandby.length > 0)
        await exitStandby(ctx.aws, g.name, inStandby);
    await updateAutoScalingGroup(ctx.aws, g.name, { minSize: 0, desiredCapacity: 0 });
    await waitForEmpty(flow, g.name, 'fail');
    if (!ctx.aws.dryRun)
        ctx.log.info(`${g.name} is empty (took ${ctx.log.elapsed(started)})`);
}
/** The launch template version the new fleet launches from; undefined for a version not created yet (dry-run). */
async function versionForStandby(flow) {
    const { ctx, template, launch, standby } = flow;
    if (template.kind !== 'new-ami')
        return launch.version;
    const { version: created, warnings } = await createLaunchTemplateVersion(ctx.aws, launch.templateId, launch.sourceVersion ?? '$Default', template.imageId, `zdt-deploy ${ctx.event.repository} run ${ctx.event.runId}: ${template.imageId} for ${standby.name}`);
    for (const w of warnings)
        ctx.log.warning(`EC2 created launch template version ${created ?? '?'} with a warning: ${w}`);
    if (created !== undefined)
        ctx.log.info(`Created launch template ${launch.templateId} version ${created}: image ${template.imageId}, everything else from version ${launch.sourceVersion}`);
    return created === undefined ? undefined : String(created);
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/synthetic.ts
// Synthetic checks: the new fleet answers through the real load balancer, reached only by requests
// that carry the synthetic header, before any production request reaches it.








const RULE_ATTEMPTS = 5;
async function syntheticChecks(flow, synthetic) {
    const { ctx, standby } = flow;
    const { settings: s, log } = ctx;
    log.info(`Attaching ${standby.name} to the synthetic target group ${synthetic.name}`);
    await attachTargetGroups(ctx.aws, standby.name, [synthetic.arn]);
    flow.attachedToSynthetic = true;
    await ensureHeaderRule(flow, synthetic);
    await waitForHealthy(flow, synthetic, flow.newIds, `until the new instances are healthy in ${synthetic.name}`);
    const url = `${synthetic.url}${s.healthPath}`;
    const headers = { [s.syntheticHeader.name]: s.syntheticHeader.value };
    if (!synthetic.reachable) {
        log.info(`Synthetic smoke test skipped: ${synthetic.url} cannot be reached from the runner (said in pre-flight)`);
        return;
    }
    if (ctx.aws.dryRun) {
        log.info(`[dry-run] would smoke-test GET ${url} with ${s.syntheticHeader.name}: ${s.syntheticHeader.value}`);
        return;
    }
    await (0,smoke/* smokeTest */.KH)(ctx, { url, headers, accept: s.healthStatus, timeoutSeconds: s.healthTimeoutSeconds });
}
/** The listener rule routing the header to the synthetic target group: found, or created at a free priority. */
async function ensureHeaderRule(flow, synthetic) {
    const { ctx } = flow;
    const header = ctx.settings.syntheticHeader;
    const tags = (0,aws_tags/* managedTags */.L8)(ctx.event.repository);
    for (let attempt = 1;; attempt++) {
        const state = headerRuleState(await (0,elbv2/* describeRules */.NH)(ctx.aws, synthetic.listenerArn), header, synthetic.arn);
        if (state.kind === 'present') {
            ctx.log.info(`Header rule '${header.name}: ${header.value}' -> ${synthetic.name} is in place (priority ${state.rule.Priority})`);
            return;
        }
        if (state.kind === 'conflict') {
            throw new errors/* DeployError */.sH(`A listener rule for '${header.name}: ${header.value}' (priority ${state.rule.Priority}) forwards to ${state.forwardsTo.join(', ')}, not to ${synthetic.name}.`, `point that rule at the synthetic target group, or delete it and deploy again.`);
        }
        try {
            await (0,elbv2/* createForwardRule */.kZ)(ctx.aws, {
                listenerArn: synthetic.listenerArn,
                priority: state.priority,
                conditions: [(0,aws_rules/* headerCondition */.T7)(header)],
                targetGroupArn: synthetic.arn,
                tags
            });
            ctx.log.info(`Created header rule '${header.name}: ${header.value}' -> ${synthetic.name} at priority ${state.priority}`);
            return;
        }
        catch (e) {
            // Another writer took the priority between our read and our create: read again, pick another.
            if (!(0,errors/* hasErrorCode */.Ue)(e, 'PriorityInUse') || attempt >= RULE_ATTEMPTS)
                throw e;
            ctx.log.info(`Priority ${state.priority} was taken meanwhile (PriorityInUse): picking another`);
        }
    }
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/undo.ts
// Undoing a deploy that failed. Abort (before any old instance left traffic): retire the new fleet,
// the active one was never touched. Rollback (after): the old instances leave Standby and must be
// healthy again before the new fleet is taken out, so no request meets an empty target group.





/** Before the cutover moved traffic: the new fleet goes, the active group is as it was. */
async function abort(flow) {
    const { ctx, active, standby } = flow;
    await retireNewFleet(flow);
    await writeRoleTags(ctx, active.name, standby.name);
    ctx.outputs.set(constants/* Outputs */.tY.ActiveAsg, active.name);
    ctx.state.setRolledBack(false);
    ctx.log.info(`Aborted: ${active.name} serves traffic as before; ${standby.name} is back to zero`);
}
/** After the old instances went to Standby: put them back, then retire the new fleet. */
async function rollback(flow) {
    const { ctx, active, standby, main } = flow;
    const { log } = ctx;
    const started = ctx.clock.now();
    if (flow.oldIds.length > 0) {
        log.info(`Rolling back: ${flow.oldIds.length} instance(s) of ${active.name} leave Standby and rejoin ${main.name}`);
        // Instances still draining into Standby cannot exit it yet: wait for them first.
        // Some may never have left service, if the cutover failed halfway through EnterStandby.
        const { inStandby, inService } = await waitForStandby(flow, active.name, flow.oldIds);
        const back = [...inStandby, ...inService];
        try {
            if (back.length === 0)
                throw new errors/* DeployError */.sH(`none of ${flow.oldIds.join(', ')} is in Standby or in service any more.`);
            if (inStandby.length > 0)
                await exitStandby(ctx.aws, active.name, inStandby);
            if (flow.oldMinSize !== undefined) {
                await updateAutoScalingGroup(ctx.aws, active.name, { minSize: flow.oldMinSize });
            }
            await waitForHealthy(flow, main, back, `until the old fleet is healthy again in ${main.name}`);
        }
        catch (e) {
            // Taking the new fleet out now would leave nothing healthy: both stay attached.
            throw new errors/* DeployError */.sH(`Rollback could not bring ${active.name} back: ${(0,errors/* errorMessage */.gJ)(e)} Both groups stay attached to ${main.name}, so traffic keeps reaching the new fleet.`, `look at why the old instances are unhealthy (${flow.oldIds.join(', ')}); once one fleet is healthy, detach the other group from the target group by hand and scale it to zero.`);
        }
    }
    await retireNewFleet(flow);
    await writeRoleTags(ctx, active.name, standby.name);
    ctx.outputs.set(constants/* Outputs */.tY.ActiveAsg, active.name);
    ctx.state.setRolledBack(true);
    log.info(`Rolled back in ${log.elapsed(started)}: ${flow.oldIds.length > 0 ? `${active.name} serves traffic again` : `the new fleet is out of ${main.name}, as before the deploy`}; ${standby.name} is back to zero`);
}
/** Out of every target group this run attached it to, drained, scaled to zero. */
async function retireNewFleet(flow) {
    const { ctx, standby, main, synthetic } = flow;
    const attached = [
        ...(flow.attachedToMain ? [main.arn] : []),
        ...(flow.attachedToSynthetic && synthetic ? [synthetic.arn] : [])
    ];
    if (attached.length > 0) {
        ctx.log.info(`Detaching ${standby.name} from ${attached.length === 2 ? 'both target groups' : attached[0] === main.arn ? main.name : synthetic?.name}`);
        await detachTargetGroups(ctx.aws, standby.name, attached);
    }
    // Terminating instances that still finish requests would fail them: let them drain first.
    if (flow.attachedToMain && flow.newIds.length > 0) {
        await waitForDrained(flow, main, flow.newIds, main.deregistrationDelaySeconds, 'the new instances');
    }
    ctx.log.info(`Scaling ${standby.name} to zero`);
    await updateAutoScalingGroup(ctx.aws, standby.name, { minSize: 0, desiredCapacity: 0 });
    if (!(await waitForEmpty(flow, standby.name, 'continue'))) {
        ctx.log.warning(`${standby.name} still has instances terminating; they are out of every target group.`);
    }
    flow.attachedToMain = false;
    flow.attachedToSynthetic = false;
}

// EXTERNAL MODULE: ./src/report.ts
var src_report = __webpack_require__(665);
;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/validate.ts
// The validation window: the new fleet serves alone while the old one waits in Standby. Any sign of
// trouble (failed probe requests above max-probe-errors, a failed smoke test, a new target that is
// no longer healthy) ends the window at once.








// A smoke test through the production URL this often during the window.
const SMOKE_EVERY_MS = 60_000;
// Each periodic smoke test may retry a blip for this long.
const SMOKE_TIMEOUT_SECONDS = 30;
async function validationWindow(flow) {
    const { ctx, main } = flow;
    const { settings: s, log, clock } = ctx;
    const windowMs = s.validationWindowSeconds * 1000;
    if (ctx.aws.dryRun) {
        log.info(`[dry-run] would watch the new fleet for ${(0,src_clock/* formatDuration */.a)(s.validationWindowSeconds)}: probe errors (max ${s.maxProbeErrors}), a smoke test every ${SMOKE_EVERY_MS / 1000}s, target health in ${main.name}`);
        return;
    }
    const started = clock.now();
    let nextSmoke = started;
    let smokes = 0;
    // Each periodic smoke test logs to debug only; the window logs one line, and the failure if any.
    const quiet = { http: ctx.http, clock, log: new src_report/* Reporter */.a(quietSink(log), clock) };
    log.info(`Watching the new fleet for ${(0,src_clock/* formatDuration */.a)(s.validationWindowSeconds)}; ${flow.oldIds.length > 0 ? `${flow.active.name} stays in Standby for an instant rollback` : 'there is no old fleet to roll back to'}`);
    // The window ends with the first look at or after its end; a failure in any look ends it at once.
    const look = async () => {
        const states = await targetStates(ctx, main.arn);
        const unhealthy = flow.newIds.filter(id => states.get(id)?.state !== 'healthy');
        log.change('validate:new', `New fleet in ${main.name}: ${statesOf(flow.newIds, states)}`);
        if (flow.oldIds.length > 0)
            log.change('validate:old', `Old fleet in ${main.name}: ${statesOf(flow.oldIds, states)}`);
        if (unhealthy.length > 0) {
            const s0 = states.get(unhealthy[0]);
            throw new errors/* DeployError */.sH(`Validation failed after ${log.elapsed(started)}: ${unhealthy.length} new instance(s) are no longer healthy in ${main.name} (${statesOf(unhealthy, states)}${s0?.description ? `: ${s0.description}` : ''}).`, `check the application logs of the new version on ${unhealthy.join(', ')}.`);
        }
        const probe = flow.probe;
        if (probe && probe.errors > s.maxProbeErrors) {
            const what = (0,src_probe/* probeFailureMessage */.SO)(probe.report(), 'validation window', s.maxProbeErrors);
            throw new errors/* DeployError */.sH(`Validation failed after ${log.elapsed(started)}: ${what.charAt(0).toLowerCase()}${what.slice(1)}.`, `check the application logs of the new version; raise 'max-probe-errors' only if these failures are expected.`);
        }
        if (flow.reachableUrl && clock.now() >= nextSmoke) {
            try {
                await (0,smoke/* smokeTest */.KH)(quiet, {
                    url: `${flow.reachableUrl}${s.healthPath}`,
                    accept: s.healthStatus,
                    timeoutSeconds: Math.min(SMOKE_TIMEOUT_SECONDS, s.healthTimeoutSeconds)
                });
            }
            catch (e) {
                throw new errors/* DeployError */.sH(`Validation failed after ${log.elapsed(started)}: ${(0,errors/* errorMessage */.gJ)(e)}`, e instanceof errors/* DeployError */.sH ? e.hint : undefined);
            }
            smokes++;
            log.change('validate:smoke', `Periodic smoke test of ${flow.reachableUrl}${s.healthPath} passing (every ${SMOKE_EVERY_MS / 1000}s)`);
            nextSmoke += SMOKE_EVERY_MS;
        }
        return { done: clock.now() >= started + windowMs };
    };
    await (0,poll/* pollUntil */.g)(ctx, {
        key: 'validate',
        timeoutMs: windowMs,
        intervalMs: s.pollIntervalSeconds * 1000,
        deadline: 'clip',
        tick: async () => flow.lock?.refreshIfDue()
    }, look);
    log.info(`Validation window passed (${(0,src_clock/* formatDuration */.a)(s.validationWindowSeconds)}, ${smokes} smoke test(s))`);
}
function quietSink(log) {
    return {
        info: m => log.debug(m),
        warning: m => log.warning(m),
        error: m => log.debug(m),
        debug: m => log.debug(m),
        startGroup: () => { },
        endGroup: () => { }
    };
}

;// CONCATENATED MODULE: ./src/strategies/asg-blue-green/index.ts
// The asg-blue-green strategy: two Auto Scaling groups behind one target group; the standby one gets
// the new version, is checked through a synthetic target group, takes the traffic, and the old
// fleet waits in Standby through a validation window, then scales to zero. The roles swap each deploy.














// A lock lost to a deploy that started at the same instant: wait for it, then look again.
const LOCK_ATTEMPTS = 3;
async function asgBlueGreen(ctx) {
    // Known from the start, like ecs-rolling's: a run that fails in the pre-flight rolled nothing back.
    ctx.state.setRolledBack(false);
    const flow = await preflightAndLock(ctx);
    try {
        await deploy(flow);
    }
    finally {
        await stopProbe(flow);
        await flow.lock?.release();
    }
    const { active, standby } = flow;
    if (ctx.aws.dryRun)
        (0,summary/* reportPlan */._S)(ctx.log, ctx.aws.mutations);
    return ctx.aws.dryRun
        ? {
            outcome: 'planned',
            message: `Dry run: ${standby.name} would get ${describeTemplatePlan(flow.template)} and take the traffic from ${active.name}; nothing was changed.`
        }
        : {
            outcome: 'deployed',
            message: `Deployed: ${standby.name} serves traffic with ${describeTemplatePlan(flow.template)}; ${active.name} is scaled to zero.`
        };
}
async function preflightAndLock(ctx) {
    for (let attempt = 1;; attempt++) {
        const flow = await ctx.log.phase('Pre-flight', () => preflight(ctx));
        if (flow.url)
            ctx.outputs.set(constants/* Outputs */.tY.Url, flow.url);
        ctx.outputs.set(constants/* Outputs */.tY.PreviousAsg, flow.active.name);
        ctx.outputs.set(constants/* Outputs */.tY.ActiveAsg, flow.active.name);
        const lock = new DeployLock(ctx, [ctx.settings.blueAsg, ctx.settings.greenAsg]);
        const acquired = await ctx.log.phase('Lock', async () => {
            try {
                return await lock.acquire();
            }
            catch (e) {
                // A lock written on one group only must not outlive this run.
                await lock.release();
                throw e;
            }
        });
        if (acquired) {
            flow.lock = lock;
            return flow;
        }
        if (attempt >= LOCK_ATTEMPTS) {
            throw new errors/* DeployError */.sH(`Could not take the deploy lock: other deploys of ${flow.active.name} and ${flow.standby.name} kept starting at the same time.`, `serialise deploys of this environment with a workflow 'concurrency:' group.`);
        }
    }
}
async function deploy(flow) {
    const { log } = flow.ctx;
    try {
        await log.phase('Prepare standby', () => prepareStandby(flow));
        const synthetic = flow.synthetic;
        if (synthetic)
            await log.phase('Synthetic checks', () => syntheticChecks(flow, synthetic));
        await startProbe(flow);
        await log.phase('Cutover', () => cutover(flow));
    }
    catch (e) {
        // Until the old instances leave the target group, traffic never depended on the new fleet.
        if (flow.standbyAtMs === undefined)
            await undo(flow, e, 'abort');
        await undo(flow, e, 'rollback');
    }
    try {
        await log.phase('Validation window', () => validationWindow(flow));
    }
    catch (e) {
        await undo(flow, e, 'rollback');
    }
    await log.phase('Finish', () => finish(flow));
}
// The traffic probe runs from the cutover through the validation window and any rollback: steady
// requests to the production URL, every failure reported. Without a reachable URL there is none.
async function startProbe(flow) {
    flow.probe = await (0,src_probe/* startTrafficProbe */.sK)(flow.ctx, flow.reachableUrl);
}
async function stopProbe(flow) {
    const probe = flow.probe;
    flow.probe = undefined;
    await (0,src_probe/* finishTrafficProbe */.vQ)(flow.ctx, probe);
}
/** Runs the abort or the rollback, then fails with the original cause and what was done about it. */
async function undo(flow, cause, how) {
    const { ctx, active, standby } = flow;
    const message = (0,errors/* errorMessage */.gJ)(cause).replace(/\.?$/, '.');
    const hint = cause instanceof errors/* DeployError */.sH ? cause.hint : undefined;
    if (how === 'rollback' && !ctx.settings.rollback) {
        // The new fleet serves: the role tags say so, for the next run and for people reading them.
        await writeRoleTags(ctx, standby.name, active.name);
        throw new errors/* DeployError */.sH(`${message} Not rolled back ('rollback: false'): ${standby.name} serves traffic, ${active.name}'s instances ${flow.oldIds.join(', ')} wait in Standby.`, `to roll back by hand, exit Standby for those instances, wait until they are healthy, then detach ${standby.name} from the target group; to keep the new version, run the deploy again (it retires the old fleet).${hint ? ` Then: ${hint}` : ''}`, { cause });
    }
    try {
        await ctx.log.phase(how === 'abort' ? 'Abort' : 'Rollback', () => how === 'abort' ? abort(flow) : rollback(flow));
    }
    catch (e) {
        throw new errors/* DeployError */.sH(`${message} The ${how} failed too: ${(0,errors/* errorMessage */.gJ)(e)}`, e instanceof errors/* DeployError */.sH && e.hint
            ? e.hint
            : `check ${active.name} and ${standby.name} by hand: which one is attached to the target group, and with how many instances.`, { cause });
    }
    const what = how === 'abort'
        ? `Aborted before any traffic moved: ${active.name} still serves, ${standby.name} is back to zero.`
        : flow.oldIds.length > 0
            ? `Rolled back: ${active.name} serves traffic again, ${standby.name} is back to zero.`
            : `Rolled back: ${standby.name} is out of the target group and back to zero, as before the deploy.`;
    throw new errors/* DeployError */.sH(`${message} ${what}`, hint, { cause });
}


/***/ })

};
