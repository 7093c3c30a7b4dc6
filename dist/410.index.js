export const id = 410;
export const ids = [410];
export const modules = {

/***/ 6145:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ shortName),
/* harmony export */   p: () => (/* binding */ revisionName)
/* harmony export */ });
// Names read from ARNs: the last part of a resource ARN, a task definition's `family:revision`.
/** The part after the last `/` of an ARN (`web-pr-7`, `web:42`), or the name itself. */
function shortName(nameOrArn) {
    return nameOrArn.split('/').pop() ?? nameOrArn;
}
/** The revision part of a task definition ARN, `web:42`; `?` when there is none. */
function revisionName(taskDefinitionArn) {
    return taskDefinitionArn ? shortName(taskDefinitionArn) : '?';
}


/***/ }),

/***/ 9089:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ pickContainer),
/* harmony export */   d: () => (/* binding */ imageOf)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);


/** The container whose image `image` replaces: `container-name`, else the only container, else the fallback. */
function pickContainer(containers, containerName, options = {}) {
    const names = containers.map(c => c.name ?? '');
    const fix = `set '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.ContainerName}' to one of: ${names.join(', ')}.`;
    const where = options.where ?? 'task definition';
    if (containerName !== undefined) {
        if (names.includes(containerName))
            return containerName;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`The ${where} has no container named '${containerName}' (containers: ${names.join(', ')}).`, fix);
    }
    if (names.length === 1)
        return names[0];
    if (options.fallback !== undefined)
        return options.fallback;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`The ${where} has ${names.length} containers (${names.join(', ')}) and '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.ContainerName}' is not set, so it is unclear whose image to replace.`, fix);
}
/** The image a container of a task definition runs. */
function imageOf(taskDefinition, containerName) {
    return taskDefinition.containerDefinitions?.find(c => c.name === containerName)?.image;
}


/***/ }),

/***/ 5321:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DJ: () => (/* binding */ startedDeployment),
/* harmony export */   Zd: () => (/* binding */ rolloutState),
/* harmony export */   hK: () => (/* binding */ notSteadyOn),
/* harmony export */   lZ: () => (/* binding */ serviceStability),
/* harmony export */   sg: () => (/* binding */ primaryDeployment)
/* harmony export */ });
/* harmony import */ var _arns_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6145);

function primaryDeployment(service) {
    return (service.deployments ?? []).find(d => d.status === 'PRIMARY');
}
/** What ECS says about a FAILED rollout (the circuit breaker's reason). */
function failureReason(d) {
    return d?.rolloutStateReason ?? 'rollout failed';
}
/**
 * The deployment an UpdateService started: the PRIMARY one running our task definition. Emulators
 * such as moto keep the PRIMARY deployment and its old task definition in the response while the
 * service itself points at ours; that PRIMARY deployment is then the one to watch.
 */
function startedDeployment(service, taskDefinitionArn) {
    const primary = primaryDeployment(service);
    if (!primary)
        return undefined;
    if (primary.taskDefinition === taskDefinitionArn || service.taskDefinition === taskDefinitionArn)
        return primary;
    return undefined;
}
function isSteady(d) {
    // Without rolloutState (deployments from before ECS reported it) steady means all tasks running.
    if (d.rolloutState !== undefined)
        return d.rolloutState === 'COMPLETED';
    return (d.runningCount ?? 0) === (d.desiredCount ?? 0) && (d.pendingCount ?? 0) === 0;
}
/** Where the deployment with this id stands. */
function rolloutState(service, deploymentId) {
    const deployments = service.deployments ?? [];
    const ours = deployments.find(d => d.id === deploymentId);
    const primary = primaryDeployment(service);
    if (ours?.rolloutState === 'FAILED')
        return { kind: 'failed', reason: failureReason(ours), primary };
    if (!ours || ours.status !== 'PRIMARY')
        return { kind: 'replaced', primary };
    if (isSteady(ours) && deployments.length === 1)
        return { kind: 'completed' };
    return { kind: 'in-progress' };
}
/**
 * Why the service is not steady on `taskDefinitionArn`, or undefined when it is: its one deployment is
 * the PRIMARY one on that revision (see startedDeployment), COMPLETED, with every desired task running.
 */
function notSteadyOn(service, taskDefinitionArn) {
    const deployments = service.deployments ?? [];
    const primary = startedDeployment(service, taskDefinitionArn);
    if (!primary)
        return `no PRIMARY deployment runs ${(0,_arns_js__WEBPACK_IMPORTED_MODULE_0__/* .revisionName */ .p)(taskDefinitionArn)}`;
    if (primary.rolloutState === 'FAILED')
        return `its deployment ${primary.id} FAILED: ${primary.rolloutStateReason ?? 'no reason given'}`;
    if (!isSteady(primary))
        return `its deployment ${primary.id} is ${primary.rolloutState ?? 'not steady'}, not COMPLETED`;
    const others = deployments.filter(d => d !== primary);
    if (others.length > 0)
        return `another deployment is still in the service (${others.map(d => `${d.status} ${(0,_arns_js__WEBPACK_IMPORTED_MODULE_0__/* .revisionName */ .p)(d.taskDefinition)}`).join(', ')})`;
    const desired = service.desiredCount ?? 0;
    const running = service.runningCount ?? 0;
    if (running !== desired)
        return `${running} of ${desired} desired tasks are running`;
    return undefined;
}
/**
 * Is the service steady on `taskDefinitionArn`, still moving, or failed? Without the revision a
 * describe that still shows the state before UpdateService (eventual consistency) would pass as
 * stable on the old one. Read by deployment revision, not id: a preview's wait knows no id.
 */
function serviceStability(s, taskDefinitionArn) {
    // Just created, a service can be MISSING to the first describes (eventual consistency).
    if (!s)
        return { stable: false, line: 'preview service: not visible yet' };
    if (s.status !== 'ACTIVE')
        return { stable: false, line: `preview service: ${s.status}` };
    const deployments = s.deployments ?? [];
    const primary = primaryDeployment(s) ?? deployments[0];
    if (taskDefinitionArn &&
        s.taskDefinition !== taskDefinitionArn &&
        primary?.taskDefinition !== taskDefinitionArn) {
        // The circuit breaker's rollback leaves ours FAILED behind a new PRIMARY of the old revision.
        const ours = deployments.find(d => d.taskDefinition === taskDefinitionArn && d.rolloutState === 'FAILED');
        const line = `preview service: ${(0,_arns_js__WEBPACK_IMPORTED_MODULE_0__/* .revisionName */ .p)(taskDefinitionArn)} not deployed yet`;
        return ours ? { stable: false, failed: failureReason(ours), line } : { stable: false, line };
    }
    const desired = s.desiredCount ?? 0;
    const running = primary?.runningCount ?? s.runningCount ?? 0;
    const rollout = primary?.rolloutState;
    const line = `preview service: ${running}/${desired} running, ${deployments.length} deployment(s)${rollout ? `, rollout ${rollout}` : ''}`;
    if (rollout === 'FAILED')
        return { stable: false, failed: failureReason(primary), line };
    const stable = deployments.length <= 1 && running >= desired && (rollout === undefined || rollout === 'COMPLETED');
    return stable ? { stable: true } : { stable: false, line };
}


/***/ }),

/***/ 1032:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ef: () => (/* binding */ tagEcsResource),
/* harmony export */   Jv: () => (/* binding */ describeService),
/* harmony export */   T2: () => (/* binding */ deregisterTaskDefinition),
/* harmony export */   bU: () => (/* binding */ updateService),
/* harmony export */   eQ: () => (/* binding */ registerTaskDefinition),
/* harmony export */   em: () => (/* binding */ listStoppedTasks),
/* harmony export */   hs: () => (/* binding */ deleteService),
/* harmony export */   l8: () => (/* binding */ listTaskDefinitionArns),
/* harmony export */   m8: () => (/* binding */ listServiceArns),
/* harmony export */   oh: () => (/* binding */ describeTaskDefinition),
/* harmony export */   sR: () => (/* binding */ createService),
/* harmony export */   yz: () => (/* binding */ describeTasks),
/* harmony export */   zl: () => (/* binding */ describeServicesWithTags)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(212);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _arns_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6145);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9580);
// The thin layer over ECS: services (found by tags, created, updated, deleted), task definitions, tasks. One AWS operation per function (plus
// paging); strategies never touch the SDK client directly.




/** A missing cluster, said with the input to check; any other error as it is. */
function clusterNotFound(e, cluster) {
    if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .hasErrorCode */ .Ue)(e, 'ClusterNotFound'))
        return e;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`ECS cluster '${cluster}' was not found.`, `check the 'cluster' input (name or ARN) and the region.`, { cause: e });
}
/**
 * The service (with its tags when `tags` is set), or a DeployError naming the cluster and service when
 * either does not exist.
 */
async function describeService(aws, cluster, service, opts = {}) {
    let out;
    try {
        out = await aws.read('ecs:DescribeServices', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.DescribeServicesCommand({
            cluster,
            services: [service],
            ...(opts.tags ? { include: ['TAGS'] } : {})
        })));
    }
    catch (e) {
        throw clusterNotFound(e, cluster);
    }
    const found = out.services?.[0];
    if (!found) {
        const reason = out.failures?.[0]?.reason ?? 'MISSING';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`ECS service '${service}' was not found in cluster '${cluster}' (${reason}).`, `check the 'service' and 'cluster' inputs and the region.`);
    }
    return found;
}
async function describeTaskDefinition(aws, arn) {
    const out = await aws.read('ecs:DescribeTaskDefinition', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] })));
    if (!out.taskDefinition)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`Task definition ${arn} was not found.`, 'check that the revision still exists.');
    return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] };
}
/** Registers a revision; in dry-run returns `planned` (printed with family and images). */
async function registerTaskDefinition(aws, input, planned) {
    const params = {
        family: input.family,
        images: (input.containerDefinitions ?? []).map(c => `${c.name}=${c.image}`)
    };
    const out = await aws.write('ecs:RegisterTaskDefinition', params, () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.RegisterTaskDefinitionCommand(input)), { taskDefinition: planned, $metadata: {} });
    if (!out.taskDefinition?.taskDefinitionArn)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`RegisterTaskDefinition returned no task definition for family ${input.family}.`);
    return out.taskDefinition;
}
/**
 * Points the service at a task definition (which starts a deployment) and/or sets its desired count;
 * in dry-run returns `planned`.
 */
async function updateService(aws, params, planned) {
    const out = await aws.write('ecs:UpdateService', { ...params }, () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.UpdateServiceCommand({ ...params })), { service: planned, $metadata: {} });
    if (!out.service)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`UpdateService returned no service for ${params.service}.`);
    return out.service;
}
/**
 * ARNs of the service's stopped tasks (ECS keeps them visible for about an hour), up to `maxPages`
 * pages of 100: a crash-looping service can stop hundreds in that hour, and the newest may be on any page.
 */
async function listStoppedTasks(aws, cluster, service, maxPages = 5) {
    // ListTasks filters by service *name* (unlike DescribeServices, which takes a name or an ARN).
    const serviceName = (0,_arns_js__WEBPACK_IMPORTED_MODULE_3__/* .shortName */ .E)(service) || service;
    const arns = [];
    let nextToken;
    for (let page = 0; page < maxPages; page++) {
        const out = await aws.read('ecs:ListTasks', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED', maxResults: 100, nextToken })));
        arns.push(...(out.taskArns ?? []));
        nextToken = out.nextToken;
        if (!nextToken)
            break;
    }
    return arns;
}
/** Up to 100 tasks per call (the API's limit), in batches. */
async function describeTasks(aws, cluster, arns) {
    const tasks = [];
    for (let i = 0; i < arns.length; i += 100) {
        const batch = arns.slice(i, i + 100);
        const out = await aws.read('ecs:DescribeTasks', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.DescribeTasksCommand({ cluster, tasks: batch })));
        tasks.push(...(out.tasks ?? []));
    }
    return tasks;
}
/** Services with their tags, 10 per call (the API's limit); names that do not exist are left out. */
async function describeServicesWithTags(aws, cluster, services) {
    const found = [];
    for (let i = 0; i < services.length; i += 10) {
        const batch = services.slice(i, i + 10);
        try {
            const out = await aws.read('ecs:DescribeServices', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] })));
            found.push(...(out.services ?? []));
        }
        catch (e) {
            throw clusterNotFound(e, cluster);
        }
    }
    return found;
}
async function listServiceArns(aws, cluster) {
    const arns = [];
    let nextToken;
    do {
        const out = await aws.read('ecs:ListServices', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.ListServicesCommand({ cluster, nextToken, maxResults: 100 })));
        arns.push(...(out.serviceArns ?? []));
        nextToken = out.nextToken;
    } while (nextToken);
    return arns;
}
async function createService(aws, input, planned) {
    const out = await aws.write('ecs:CreateService', {
        cluster: input.cluster,
        serviceName: input.serviceName,
        taskDefinition: input.taskDefinition,
        desiredCount: input.desiredCount,
        loadBalancers: input.loadBalancers
    }, () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.CreateServiceCommand(input)), { $metadata: {}, service: planned });
    if (!out.service?.serviceArn)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`CreateService returned no service for ${input.serviceName}.`);
    return out.service;
}
/** Deletes a service even while tasks still run (`force`): ECS drains and stops them. */
async function deleteService(aws, cluster, service) {
    await aws.write('ecs:DeleteService', { cluster, service, force: true }, () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.DeleteServiceCommand({ cluster, service, force: true })), undefined);
}
async function tagEcsResource(aws, arn, tags) {
    await aws.write('ecs:TagResource', { resourceArn: arn, tags }, () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.TagResourceCommand({
        resourceArn: arn,
        tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .toEcsTags */ .aA)(tags)
    })), undefined);
}
/** ACTIVE revisions of one task definition family (`familyPrefix` is the full family name). */
async function listTaskDefinitionArns(aws, family) {
    const arns = [];
    let nextToken;
    do {
        const out = await aws.read('ecs:ListTaskDefinitions', () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken, maxResults: 100 })));
        arns.push(...(out.taskDefinitionArns ?? []));
        nextToken = out.nextToken;
    } while (nextToken);
    return arns;
}
async function deregisterTaskDefinition(aws, arn) {
    await aws.write('ecs:DeregisterTaskDefinition', { taskDefinition: arn }, () => aws.clients.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__.DeregisterTaskDefinitionCommand({ taskDefinition: arn })), undefined);
}


/***/ }),

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

/***/ 8410:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ecsRolling: () => (/* binding */ ecsRolling)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/probe.ts
var src_probe = __webpack_require__(8877);
// EXTERNAL MODULE: ./src/smoke.ts
var smoke = __webpack_require__(2754);
// EXTERNAL MODULE: ./src/summary.ts
var summary = __webpack_require__(8855);
// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/explain.ts
var explain = __webpack_require__(4216);
// EXTERNAL MODULE: ./src/aws/arns.ts
var arns = __webpack_require__(6145);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/rollout-state.ts

/** `cluster/service` for log lines and messages, whether the inputs are names or ARNs. */
function serviceLabel(cluster, service) {
    const last = (nameOrArn) => (0,arns/* shortName */.E)(nameOrArn) || nameOrArn;
    return `${last(cluster)}/${last(service)}`;
}
/** `ecs-svc/123 PRIMARY web:42: desired 2, running 1, pending 1, failed 0 (IN_PROGRESS)` */
function deploymentLine(d, ourId) {
    const who = d.id === ourId ? ' (ours)' : '';
    const state = d.rolloutState ? ` (${d.rolloutState})` : '';
    return `Deployment ${d.id}${who} ${d.status} ${(0,arns/* revisionName */.p)(d.taskDefinition)}: desired ${d.desiredCount ?? 0}, running ${d.runningCount ?? 0}, pending ${d.pendingCount ?? 0}, failed ${d.failedTasks ?? 0}${state}`;
}
/** Events not yet seen, oldest first (ECS lists the newest first); marks them seen. */
function takeNewEvents(events, seen) {
    const fresh = events.filter(e => e.id !== undefined && !seen.has(e.id));
    for (const e of fresh)
        seen.add(e.id);
    // Reversed first: events of the same second keep ECS's order, oldest first (the sort is stable).
    return fresh.reverse().sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}
function eventLine(e) {
    const at = e.createdAt ? e.createdAt.toISOString().slice(11, 19) : '--:--:--';
    return `Event ${at}: ${e.message ?? ''}`;
}
/** A task belongs to a deployment when ECS started it for that deployment (or runs its revision). */
function taskOfDeployment(task, deploymentId, taskDefinitionArn) {
    return task.startedBy === deploymentId || task.taskDefinitionArn === taskDefinitionArn;
}
/** `Task 1a2b3c stopped: Essential container in task exited; app exit code 1 (OutOfMemoryError...)` */
function stoppedTaskLine(task) {
    const id = (0,arns/* revisionName */.p)(task.taskArn);
    const containers = (task.containers ?? [])
        .filter(c => c.exitCode !== undefined || c.reason)
        .map(c => `${c.name}${c.exitCode !== undefined ? ` exit code ${c.exitCode}` : ''}${c.reason ? ` (${c.reason})` : ''}`);
    return `Task ${id} stopped: ${task.stoppedReason ?? 'no reason given'}${containers.length > 0 ? `; ${containers.join(', ')}` : ''}`;
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/diagnose.ts




function diagnoseRollout(x) {
    // The most recent stop and the newest event first, so the evidence shown is the latest.
    const stopped = [...x.stoppedTasks].sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
    const texts = [
        ...stopped.flatMap(t => [stoppedTaskLine(t), ...(t.containers ?? []).flatMap(c => c.reason ?? [])]),
        ...[...x.events].reverse()
    ];
    // The signatures go from most to least specific: the most specific one found in any text wins
    // (an event's "codes: [500]" says more than a task's "failed ELB health checks").
    const known = (0,explain/* explainAwsText */.M)(texts.join('\n'));
    if (known) {
        const evidence = texts.find(t => (0,explain/* explainAwsText */.M)(t)?.cause === known.cause);
        return { cause: `${known.cause}${evidence ? ` (${evidence})` : ''}`, hint: known.fix };
    }
    return { cause: stopped[0] ? stoppedTaskLine(stopped[0]) : undefined, hint: fallbackHint(x) };
}
function fallbackHint(x) {
    switch (x.kind) {
        case 'probe':
            return `requests failed while tasks were replaced: make the app finish in-flight requests on SIGTERM, keep the deregistration delay above your slowest request, and check the health-check settings; or raise '${constants/* Inputs */.G0.MaxProbeErrors}' if some failures are acceptable.`;
        case 'timeout':
            return x.waitTimeoutSeconds < x.estimate.seconds
                ? `'${constants/* Inputs */.G0.WaitTimeout}' (${(0,src_clock/* formatDuration */.a)(x.waitTimeoutSeconds)}) is shorter than this service's minimum rollout time (${(0,src_clock/* formatDuration */.a)(x.estimate.seconds)}: ${x.estimate.arithmetic}): raise '${constants/* Inputs */.G0.WaitTimeout}'.`
                : `the new tasks never all turned healthy: check the service events above (capacity, placement) and the target group health checks (${healthCheckText(x.targetGroups)}); the app must answer them once started.`;
        case 'failed':
        case 'replaced':
            return `new tasks kept failing, so ECS stopped the rollout: check the service events above and the application logs of the new version.`;
    }
}
function healthCheckText(targetGroups) {
    if (targetGroups.length === 0)
        return 'its container health check';
    return targetGroups.map(tg => `'${tg.healthCheckPath ?? '/'}' with ${tg.matcher}`).join(' and ');
}

// EXTERNAL MODULE: ./src/aws/ecs.ts
var ecs = __webpack_require__(1032);
// EXTERNAL MODULE: ./src/aws/elbv2.ts
var elbv2 = __webpack_require__(1000);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/preflight-rules.ts
// Pure pre-flight rules: which service settings guarantee downtime or a stuck rollout (refused
// before anything changes), which only make one likely (warned), and how long a rollout must take.


// Above this a rollout spends minutes just draining (the ALB default is 300 s).
const LONG_DEREGISTRATION_DELAY_SECONDS = 120;
// Typical time from RunTask to a container listening (image pull + start); a rough, stated guess.
const TASK_START_SECONDS = 30;
// Checks that take longer than this to admit a new target are worth a recommendation.
const SLOW_HEALTHY_SECONDS = 90;
/** Tasks ECS may run at once during a deployment (rounded down, as ECS does). */
function maxTasks(f) {
    return Math.floor((f.desiredCount * f.maximumPercent) / 100);
}
/** Tasks ECS must keep healthy during a deployment (rounded up, as ECS does). */
function minHealthyTasks(f) {
    return Math.ceil((f.desiredCount * f.minimumHealthyPercent) / 100);
}
/**
 * Tasks guaranteed to keep running, rounded down: the conservative reading this tool promises
 * zero downtime on (a single task with minimumHealthyPercent below 100 counts as none).
 */
function guaranteedTasks(f) {
    return Math.floor((f.desiredCount * f.minimumHealthyPercent) / 100);
}
function assessService(f) {
    const findings = [];
    const refuse = (message, hint) => findings.push({ level: 'refuse', message, hint });
    const warn = (message, hint) => findings.push({ level: 'warn', message, hint });
    const advise = (message, hint) => findings.push({ level: 'advise', message, hint });
    const where = `service '${f.service}' in cluster '${f.cluster}'`;
    const pct = `maximumPercent ${f.maximumPercent}, minimumHealthyPercent ${f.minimumHealthyPercent}`;
    if (f.deploymentController !== 'ECS') {
        refuse(`The ${where} uses the ${f.deploymentController} deployment controller; ecs-rolling drives rolling updates (ECS) only.`, `deploy this service with its own controller (CodeDeploy for blue/green), or switch it to the ECS deployment controller.`);
        return findings;
    }
    if (f.desiredCount === 0) {
        refuse(`The ${where} has desiredCount 0: a rollout would start no task, so nothing could be verified.`, `scale the service to at least 2 tasks before deploying.`);
        return findings;
    }
    if (maxTasks(f) <= f.desiredCount && minHealthyTasks(f) >= f.desiredCount) {
        refuse(`The ${where} can neither start nor stop a task during a deployment (${pct}, desiredCount ${f.desiredCount}): the rollout would never progress.`, `set maximumPercent to 200 (room to start new tasks before old ones stop) and keep minimumHealthyPercent at 100.`);
    }
    else if (f.desiredCount === 1 && f.minimumHealthyPercent < 100) {
        refuse(`The ${where} runs 1 task with minimumHealthyPercent ${f.minimumHealthyPercent}: ECS may stop the only task before its replacement is healthy, so capacity can drop to zero.`, `set minimumHealthyPercent to 100 and maximumPercent to 200, or run at least 2 tasks.`);
    }
    else if (guaranteedTasks(f) === 0 && f.servesTraffic) {
        refuse(`The ${where} serves traffic, but ${f.desiredCount} x ${f.minimumHealthyPercent}% rounds down to 0 tasks that must stay running: every task may be stopped at once.`, `raise minimumHealthyPercent (100 keeps full capacity) and give maximumPercent room above 100.`);
    }
    else if (f.maximumPercent <= 100) {
        warn(`The ${where} has maximumPercent ${f.maximumPercent}: ECS must stop old tasks before starting new ones, so capacity drops to ${minHealthyTasks(f)} of ${f.desiredCount} tasks during the deploy.`, `set maximumPercent to 200 to start new tasks before old ones stop.`);
    }
    if (!f.circuitBreaker.enable) {
        warn(`The deployment circuit breaker of the ${where} is off: tasks that keep failing are only noticed when 'wait-timeout' runs out.`, `enable deploymentCircuitBreaker (with rollback) on the service so ECS stops a failing rollout itself.`);
    }
    if (f.deployments > 1) {
        warn(`The ${where} already has ${f.deployments} deployments in progress; this deploy replaces the newest one.`, `let the running deployment finish, or limit the workflow's concurrency so deploys do not overlap.`);
    }
    if (f.servesTraffic && f.gracePeriodSeconds === 0) {
        advise(`The ${where} has a health-check grace period of 0s: a container that takes a while to start can fail its first load balancer checks and be replaced before it is ready.`, `set healthCheckGracePeriodSeconds to about the container's start time (e.g. 60s) if it starts slowly.`);
    }
    for (const tg of f.targetGroups) {
        const answer = tg.healthCheckAnswer;
        const redirects = answer?.status !== undefined && answer.status >= 300 && answer.status < 400;
        if (redirects && !matcherAccepts(tg.matcher, answer.status)) {
            warn(`Target group ${tg.name} checks '${tg.healthCheckPath}' and accepts ${tg.matcher}, but ${answer.url} answers ${answer.status}${answer.location ? ` (redirect to ${answer.location})` : ''}: new tasks would never turn healthy.`, `point the target group's health check at an endpoint that answers ${tg.matcher} without a redirect (e.g. /healthz), or add ${answer.status} to its matcher.`);
        }
        else if (tg.healthCheckPath === '/') {
            warn(`Target group ${tg.name} health-checks '/': apps often redirect or render a full page there, which makes health checks slow or failing.`, `add a cheap /healthz endpoint and point the target group's health check at it.`);
        }
        const checkSeconds = tg.healthyThreshold * tg.intervalSeconds;
        if (checkSeconds > SLOW_HEALTHY_SECONDS) {
            advise(`Target group ${tg.name} needs ${tg.healthyThreshold} passing checks ${tg.intervalSeconds}s apart: a new task waits ${(0,src_clock/* formatDuration */.a)(checkSeconds)} before it gets traffic.`, `2-3 checks every 10-15s prove a healthy /healthz as well and save time on every deploy (HealthyThresholdCount, HealthCheckIntervalSeconds).`);
        }
        if (tg.deregistrationDelaySeconds > LONG_DEREGISTRATION_DELAY_SECONDS) {
            warn(`Target group ${tg.name} has a deregistration delay of ${tg.deregistrationDelaySeconds}s: every rollout waits that long for old tasks to drain.`, `lower deregistration_delay.timeout_seconds to just above your slowest request (e.g. 30-120s).`);
        }
    }
    return findings;
}
/** Whether an ALB matcher (`200`, `200,302`, `200-399`) accepts a status. */
function matcherAccepts(matcher, status) {
    return matcher.split(',').some(part => {
        const [lo, hi] = part.trim().split('-').map(Number);
        return hi === undefined ? status === lo : status >= lo && status <= hi;
    });
}
/** The least time a rollout can take with these settings, and how that number is made up. */
function estimateMinimumDuration(f) {
    const tg = f.targetGroups.reduce((slowest, t) => !slowest ||
        t.intervalSeconds * t.healthyThreshold + t.deregistrationDelaySeconds >
            slowest.intervalSeconds * slowest.healthyThreshold + slowest.deregistrationDelaySeconds
        ? t
        : slowest, undefined);
    const parts = [`start ~${(0,src_clock/* formatDuration */.a)(TASK_START_SECONDS)}`];
    let batch = TASK_START_SECONDS;
    if (tg) {
        batch += tg.healthyThreshold * tg.intervalSeconds;
        parts.push(`${tg.healthyThreshold} checks x ${(0,src_clock/* formatDuration */.a)(tg.intervalSeconds)}`);
    }
    const drain = tg?.deregistrationDelaySeconds ?? 0;
    // Tasks replaced per batch: what maximumPercent lets start plus what minimumHealthyPercent lets stop.
    const step = Math.max(1, maxTasks(f) - minHealthyTasks(f));
    const batches = Math.max(1, Math.ceil(f.desiredCount / step));
    const drainText = drain > 0 ? ` + ${(0,src_clock/* formatDuration */.a)(drain)} deregistration delay` : '';
    if (batches === 1) {
        return { seconds: batch + drain, arithmetic: `${parts.join(' + ')}${drainText}` };
    }
    // Batches after the first wait for the previous one's tasks to drain and stop.
    return {
        seconds: batches * (batch + drain),
        arithmetic: `${batches} batches x (${parts.join(' + ')}${drainText})`
    };
}
/** The pre-flight block of the job summary. */
function preflightMarkdown(f, findings, estimate) {
    const breaker = f.circuitBreaker.enable
        ? `on${f.circuitBreaker.rollback ? ', with rollback' : ', without rollback'}`
        : 'off';
    const lines = [
        '| Setting | Value |',
        '| --- | --- |',
        `| Service | \`${f.cluster}/${f.service}\` |`,
        `| Desired tasks | ${f.desiredCount} |`,
        `| Maximum / minimum healthy percent | ${f.maximumPercent}% / ${f.minimumHealthyPercent}%${f.configured ? '' : ' (ECS defaults)'} |`,
        `| Circuit breaker | ${breaker} |`,
        `| Health check grace period | ${f.gracePeriodSeconds}s |`
    ];
    for (const tg of f.targetGroups) {
        lines.push(`| Target group ${(0,summary/* escapeMd */.Xk)(tg.name)} | health check \`${tg.healthCheckPath ?? '(none)'}\` every ${tg.intervalSeconds}s, ${tg.healthyThreshold} to be healthy, matcher ${tg.matcher}; deregistration delay ${tg.deregistrationDelaySeconds}s |`);
    }
    lines.push('', `**Estimated minimum duration:** at least ${(0,src_clock/* formatDuration */.a)(estimate.seconds)}: ${estimate.arithmetic}`);
    if (findings.length > 0) {
        lines.push('');
        for (const x of findings)
            lines.push(`- ${{ refuse: '⛔ **Refused:**', warn: '⚠️', advise: '💡' }[x.level]} ${(0,summary/* escapeMd */.Xk)(x.message)} ${x.level === 'advise' ? 'Recommendation' : 'Fix'}: ${(0,summary/* escapeMd */.Xk)(x.hint)}`);
    }
    return lines.join('\n');
}

// EXTERNAL MODULE: ./src/aws/rules.ts
var aws_rules = __webpack_require__(2922);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/url.ts
// The URL users reach the service at, when the `url` input is empty: target group -> its load
// balancer -> the listener that forwards to it (or the first HTTP/HTTPS listener).



/** The listener whose default action forwards to the target group, else the first HTTP(S) one. */
function pickListener(listeners, targetGroupArn) {
    const web = listeners.filter(l => l.Protocol === 'HTTP' || l.Protocol === 'HTTPS');
    return web.find(l => (0,aws_rules/* forwardsTo */.SX)(l.DefaultActions, targetGroupArn)) ?? web[0];
}
/** The literal host a rule forwarding to the target group matches (`web.example.com`), if any. */
function ruleHost(rule, targetGroupArn) {
    if (!(0,aws_rules/* forwardsTo */.SX)(rule.Actions, targetGroupArn))
        return undefined;
    // Only a rule on the host alone matches every path the smoke test and the probe request.
    if ((rule.Conditions ?? []).some(c => c.Field !== 'host-header'))
        return undefined;
    return (0,aws_rules/* ruleHosts */.Ao)(rule).find(h => !/[*?]/.test(h));
}
async function deriveUrl(aws, targetGroups) {
    let onlyByRule;
    for (const tg of targetGroups) {
        const lbArn = tg.loadBalancerArns[0];
        if (!lbArn)
            continue;
        const lb = await (0,elbv2/* describeLoadBalancer */.mD)(aws, lbArn);
        const listeners = await (0,elbv2/* describeListeners */.Pd)(aws, lbArn);
        const web = listeners.filter(l => l.Protocol === 'HTTP' || l.Protocol === 'HTTPS');
        const direct = web.find(l => (0,aws_rules/* forwardsTo */.SX)(l.DefaultActions, tg.arn));
        if (direct)
            return { url: (0,elbv2/* listenerUrl */.Cx)(lb, direct), via: viaListener(lb.LoadBalancerName, direct) };
        // Behind a shared ALB the target group is usually reached through a host rule, and the ALB's own
        // DNS name reaches the default action (another service, a fixed 404) instead.
        for (const listener of web) {
            const rules = (await rulesOf(aws, listener)).filter(r => !r.IsDefault);
            const matching = rules.filter(r => (0,aws_rules/* forwardsTo */.SX)(r.Actions, tg.arn));
            if (matching.length === 0)
                continue;
            const host = matching.map(r => ruleHost(r, tg.arn)).find(h => h !== undefined);
            if (host) {
                const url = new URL((0,elbv2/* listenerUrl */.Cx)(lb, listener));
                url.hostname = host;
                return {
                    url: url.toString().replace(/\/+$/, ''),
                    via: `${viaListener(lb.LoadBalancerName, listener)}, rule for host ${host}`
                };
            }
            onlyByRule ??= {
                url: undefined,
                via: `target group ${tg.name} is reached only through a rule of the ${listener.Protocol} listener on port ${listener.Port} that a plain request to ${lb.DNSName} does not match`
            };
        }
        if (onlyByRule)
            continue;
        const fallback = pickListener(listeners, tg.arn);
        if (fallback)
            return { url: (0,elbv2/* listenerUrl */.Cx)(lb, fallback), via: viaListener(lb.LoadBalancerName, fallback) };
    }
    return onlyByRule;
}
/** A listener's rules; none when a role from an older copy of iam/ecs-rolling.json may not read them. */
async function rulesOf(aws, listener) {
    try {
        return await (0,elbv2/* describeRules */.NH)(aws, listener.ListenerArn ?? '');
    }
    catch (e) {
        if ((0,errors/* hasErrorCode */.Ue)(e, 'AccessDenied'))
            return [];
        throw e;
    }
}
function viaListener(lbName, listener) {
    return `load balancer ${lbName}, ${listener.Protocol} listener on port ${listener.Port}`;
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/preflight.ts








async function preflight(ctx) {
    const { settings, aws, log } = ctx;
    // With its tags: a re-run that changes nothing reads zdt:rolled-back-from from them.
    const service = await (0,ecs/* describeService */.Jv)(aws, settings.cluster, settings.service, { tags: true });
    if (service.status !== 'ACTIVE')
        throw new errors/* DeployError */.sH(`ECS service '${settings.service}' in cluster '${settings.cluster}' is ${service.status}, not ACTIVE.`, `deploy to an active service: check the 'service' and 'cluster' inputs, or recreate the service.`);
    log.info(`Service ${serviceLabel(settings.cluster, settings.service)}: ${service.desiredCount ?? 0} desired, ${service.runningCount ?? 0} running, task definition ${service.taskDefinition}`);
    const targetGroups = await readTargetGroups(aws, service);
    const url = await resolveUrl(ctx, targetGroups);
    if (url)
        await checkHealthPaths(ctx, url, targetGroups);
    const facts = serviceFacts(settings, service, targetGroups);
    const findings = assessService(facts);
    const estimate = estimateMinimumDuration(facts);
    log.section('Pre-flight', preflightMarkdown(facts, findings, estimate));
    log.info(`Estimated minimum duration: ${estimate.arithmetic}`);
    for (const w of findings.filter(x => x.level === 'warn'))
        log.warning(`${w.message} Fix: ${w.hint}`);
    for (const a of findings.filter(x => x.level === 'advise'))
        log.info(`Recommendation: ${a.message} ${a.hint}`);
    const refused = findings.filter(x => x.level === 'refuse');
    if (refused.length > 0)
        throw new errors/* DeployError */.sH(`Refused before changing anything: ${refused.map(r => r.message).join(' ')}`, refused.map(r => r.hint).join(' '));
    return {
        service,
        facts,
        estimate,
        url,
        seenEventIds: new Set((service.events ?? []).map(e => e.id ?? ''))
    };
}
async function readTargetGroups(aws, service) {
    const arns = [...new Set((service.loadBalancers ?? []).flatMap(lb => lb.targetGroupArn ?? []))];
    const groups = [];
    for (const arn of arns) {
        const tg = await (0,elbv2/* describeTargetGroup */.__)(aws, arn);
        groups.push({
            arn,
            name: tg.TargetGroupName ?? arn,
            healthCheckPath: tg.HealthCheckPath,
            intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
            healthyThreshold: tg.HealthyThresholdCount ?? 5,
            matcher: tg.Matcher?.HttpCode ?? '200',
            deregistrationDelaySeconds: await (0,elbv2/* deregistrationDelaySeconds */.ZF)(aws, arn),
            loadBalancerArns: tg.LoadBalancerArns ?? []
        });
    }
    return groups;
}
async function resolveUrl(ctx, targetGroups) {
    const { settings, log, outputs } = ctx;
    let url = settings.url;
    if (url) {
        log.info(`URL: ${url} (input '${constants/* Inputs */.G0.Url}')`);
    }
    else {
        const derived = await deriveUrl(ctx.aws, targetGroups);
        if (derived && derived.url === undefined) {
            log.info(`Notice: no '${constants/* Inputs */.G0.Url}' input and ${derived.via}: the smoke test and the traffic probe are skipped. Set '${constants/* Inputs */.G0.Url}' to the service's address to have them.`);
        }
        else if (derived) {
            log.info(`URL: ${derived.url} (derived from ${derived.via})`);
            outputs.set(constants/* Outputs */.tY.Url, derived.url);
            const reason = await (0,smoke/* unreachableReason */.N4)(ctx.http, derived.url);
            if (reason === undefined)
                url = derived.url;
            else
                log.warning((0,smoke/* unreachableNotice */.LR)(derived.url, reason, constants/* Inputs */.G0.Url));
        }
        else {
            log.info(`Notice: no '${constants/* Inputs */.G0.Url}' input and the service has no load balancer listener: the smoke test and the traffic probe are skipped.`);
        }
    }
    if (settings.url)
        outputs.set(constants/* Outputs */.tY.Url, settings.url);
    return url;
}
/** One GET of each target group's health-check path through the URL: catches the classic 302. */
async function checkHealthPaths(ctx, url, targetGroups) {
    for (const tg of targetGroups) {
        if (!tg.healthCheckPath)
            continue;
        const target = `${url}${tg.healthCheckPath}`;
        const r = await ctx.http({ url: target, timeoutMs: 5000 });
        tg.healthCheckAnswer = { url: target, status: r.status, location: r.location };
    }
}
function serviceFacts(settings, service, targetGroups) {
    const config = service.deploymentConfiguration;
    return {
        cluster: settings.cluster,
        service: service.serviceName ?? settings.service,
        desiredCount: service.desiredCount ?? 0,
        // The ECS defaults for a REPLICA service when the service reports none.
        maximumPercent: config?.maximumPercent ?? 200,
        minimumHealthyPercent: config?.minimumHealthyPercent ?? 100,
        configured: config?.maximumPercent !== undefined || config?.minimumHealthyPercent !== undefined,
        circuitBreaker: {
            enable: config?.deploymentCircuitBreaker?.enable === true,
            rollback: config?.deploymentCircuitBreaker?.rollback === true
        },
        gracePeriodSeconds: service.healthCheckGracePeriodSeconds ?? 0,
        deploymentController: service.deploymentController?.type ?? 'ECS',
        deployments: (service.deployments ?? []).length,
        servesTraffic: (service.loadBalancers ?? []).length > 0 || (service.serviceRegistries ?? []).length > 0,
        targetGroups
    };
}

// EXTERNAL MODULE: ./src/aws/containers.ts
var aws_containers = __webpack_require__(9089);
// EXTERNAL MODULE: ./src/aws/tags.ts
var tags = __webpack_require__(9580);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/task-definition.ts
// The task definition to register: from the `task-definition` file or the service's current one,
// with the image of one container replaced and the fields AWS returns but refuses on input removed.





/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition rejects. */
const READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
    'deleteRequestedAt'
];
/**
 * Parses a task-definition file: the bare RegisterTaskDefinition input, or the
 * `{ "taskDefinition": {...}, "tags": [...] }` that `aws ecs describe-task-definition` prints.
 */
function parseTaskDefinitionFile(text, origin) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (e) {
        throw new errors/* DeployError */.sH(`The task-definition file ${origin} is not valid JSON: ${(0,errors/* errorMessage */.gJ)(e)}.`, `fix the JSON, e.g. with the output of 'aws ecs describe-task-definition --task-definition <family>'.`);
    }
    if (!isObject(parsed))
        throw notATaskDefinition(origin, 'it is not a JSON object');
    const wrapped = isObject(parsed.taskDefinition);
    const definition = wrapped ? parsed.taskDefinition : parsed;
    const tags = toTags(wrapped && Array.isArray(parsed.tags) ? parsed.tags : definition.tags);
    if (typeof definition.family !== 'string' || definition.family === '')
        throw notATaskDefinition(origin, "it has no 'family'");
    const containers = definition.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0)
        throw notATaskDefinition(origin, "it has no 'containerDefinitions'");
    if (!containers.every(c => isObject(c) && typeof c.name === 'string' && c.name !== ''))
        throw notATaskDefinition(origin, "a container definition has no 'name'");
    return { origin, fromFile: true, definition, tags };
}
/** Reads `task-definition` relative to the workspace (before any AWS call, so a bad file costs none). */
async function loadTaskDefinitionFile(workspace, file) {
    const full = external_node_path_default().resolve(workspace, file);
    let text;
    try {
        text = await (0,promises_.readFile)(full, 'utf8');
    }
    catch (e) {
        throw new errors/* DeployError */.sH(`The task-definition file '${file}' could not be read (${full}): ${(0,errors/* errorMessage */.gJ)(e)}.`, `set '${constants/* Inputs */.G0.TaskDefinition}' to a path relative to the workspace, and check out the repository (actions/checkout) before this step.`);
    }
    return parseTaskDefinitionFile(text, file);
}
function sourceFromCurrent(taskDefinition, tags) {
    return {
        origin: taskDefinition.taskDefinitionArn ?? 'the current task definition',
        fromFile: false,
        definition: { ...taskDefinition },
        tags
    };
}
/** Pure: strips read-only fields, replaces the image, merges tags. */
function prepareTaskDefinition(source, opts) {
    const body = { ...source.definition };
    for (const field of READ_ONLY_FIELDS)
        delete body[field];
    delete body.tags;
    const containers = body.containerDefinitions.map(c => ({ ...c }));
    let container;
    let previousImage;
    if (opts.image !== undefined) {
        container = (0,aws_containers/* pickContainer */.T)(containers, opts.containerName);
        const target = containers.find(c => c.name === container);
        previousImage = target.image;
        target.image = opts.image;
    }
    body.containerDefinitions = containers;
    const tags = mergeTags(source.tags, opts.managedTags);
    const input = {
        ...body,
        ...(tags.length > 0 ? { tags } : {})
    };
    return { input, container, previousImage };
}
/**
 * Whether there is something new to register: a file (registering it is how its changes reach the
 * service), or an image other than the one the container runs.
 */
function hasChanges(opts) {
    if (opts.fromFile)
        return true;
    return opts.image !== undefined && opts.image !== opts.currentImage;
}
/** `web (app=nginx:1.27)`: how a revision is named in log lines and the dry-run plan. */
function describeDefinition(input) {
    const images = (input.containerDefinitions ?? []).map(c => `${c.name}=${c.image}`).join(', ');
    return `${input.family} (${images})`;
}
// AWS-owned tags (`aws:cloudformation:stack-name`, ...) come back from DescribeTaskDefinition, but
// RegisterTaskDefinition rejects any key with the reserved `aws:` prefix (any case).
const RESERVED_TAG_PREFIX = /^aws:/i;
function mergeTags(existing, managed) {
    const keys = new Set(managed.map(t => t.key));
    return [...existing.filter(t => !keys.has(t.key) && !RESERVED_TAG_PREFIX.test(t.key ?? '')), ...managed];
}
function toTags(raw) {
    if (!Array.isArray(raw))
        return [];
    return raw
        .filter(isObject)
        .map(t => ({ key: String(t.key ?? t.Key ?? ''), value: String(t.value ?? t.Value ?? '') }))
        .filter(t => t.key !== '');
}
function notATaskDefinition(origin, why) {
    return new errors/* DeployError */.sH(`The task-definition file ${origin} is not a task definition: ${why}.`, `use the RegisterTaskDefinition input shape (family, containerDefinitions, ...) or the output of 'aws ecs describe-task-definition'.`);
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/**
 * Throws when a container the service's load balancer targets is missing from the task definition
 * (ECS would refuse it); returns a warning for each targeted port the container does not map.
 */
function checkLoadBalancerTargets(containers, loadBalancers, origin) {
    const warnings = [];
    for (const lb of loadBalancers) {
        if (lb.containerName === undefined)
            continue;
        const c = containers.find(x => x.name === lb.containerName);
        const port = lb.containerPort;
        if (!c) {
            const names = containers.map(x => x.name ?? '?').join(', ');
            throw new errors/* DeployError */.sH(`The task definition from ${origin} has no container '${lb.containerName}' (containers: ${names}), which the service's load balancer sends traffic to${port !== undefined ? ` on port ${port}` : ''}. Refused before changing anything.`, `keep container '${lb.containerName}' in the task definition (or set 'container-name' and the file to match it), or change the service's load balancer configuration first.`);
        }
        if (port !== undefined && !(c.portMappings ?? []).some(m => m.containerPort === port))
            warnings.push(`The task definition from ${origin} maps no containerPort ${port} in container '${lb.containerName}', which the service's load balancer sends traffic to: ECS may refuse it. Add { "containerPort": ${port} } to its portMappings.`);
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/register.ts
// Step 2: the task definition to deploy. From the file or the service's current revision, with the
// new image; registered as a new revision unless nothing changed.






async function nextTaskDefinition(ctx, pre, file) {
    const { settings, log, outputs } = ctx;
    const previousArn = pre.service.taskDefinition ?? '';
    ctx.state.setPreviousTaskDefinitionArn(previousArn);
    const current = await (0,ecs/* describeTaskDefinition */.oh)(ctx.aws, previousArn);
    // Without a file, with the same image and no forced redeploy, there is nothing to do.
    const container = settings.image !== undefined && !file
        ? (0,aws_containers/* pickContainer */.T)(current.taskDefinition.containerDefinitions ?? [], settings.containerName)
        : undefined;
    const currentImage = container ? (0,aws_containers/* imageOf */.d)(current.taskDefinition, container) : undefined;
    if (!hasChanges({ fromFile: file !== undefined, image: settings.image, currentImage })) {
        const why = settings.image !== undefined
            ? `container '${container}' already runs ${settings.image}`
            : 'no new image and no task-definition file';
        outputs.set(constants/* Outputs */.tY.TaskDefinitionArn, previousArn);
        log.info(settings.forceNewDeployment
            ? `Task definition unchanged (${why}); redeploying ${(0,arns/* revisionName */.p)(previousArn)} because 'force-new-deployment' is true`
            : `Nothing to deploy: ${why}`);
        return {
            arn: previousArn,
            previousArn,
            description: describeDefinition(current.taskDefinition),
            unchanged: !settings.forceNewDeployment
        };
    }
    const source = file ?? sourceFromCurrent(current.taskDefinition, current.tags);
    const prepared = prepareTaskDefinition(source, {
        containerName: settings.containerName,
        image: settings.image,
        managedTags: (0,tags/* toEcsTags */.aA)((0,tags/* managedTags */.L8)(ctx.event.repository))
    });
    // A file can rename or drop what the load balancer targets; an image swap cannot.
    if (file) {
        const lbs = pre.service.loadBalancers ?? [];
        for (const w of checkLoadBalancerTargets(prepared.input.containerDefinitions ?? [], lbs, source.origin))
            log.warning(w);
    }
    const description = describeDefinition(prepared.input);
    if (prepared.container)
        log.info(`Container '${prepared.container}': ${prepared.previousImage ?? '(none)'} -> ${settings.image}`);
    log.info(`Registering ${description} from ${source.origin}`);
    const registered = await (0,ecs/* registerTaskDefinition */.eQ)(ctx.aws, prepared.input, {
        ...prepared.input,
        taskDefinitionArn: `${prepared.input.family}:<next revision>`
    });
    const arn = registered.taskDefinitionArn;
    if (!ctx.aws.dryRun) {
        ctx.state.record('created', 'task definition', arn);
        outputs.set(constants/* Outputs */.tY.TaskDefinitionArn, arn);
        log.info(`Registered ${(0,arns/* revisionName */.p)(arn)} (${arn}); previous: ${(0,arns/* revisionName */.p)(previousArn)}`);
    }
    return { arn, previousArn, description, unchanged: false };
}

// EXTERNAL MODULE: ./src/aws/ecs-deployments.ts
var ecs_deployments = __webpack_require__(5321);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(9810);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/rollout.ts










// Polls a just-started deployment may be missing from DescribeServices before that means it is gone.
const UNSEEN_POLLS = 3;
/** A rollout that did not complete; carries what the rollback and the error hint need. */
class RolloutFailure extends errors/* DeployError */.sH {
    kind;
    primary;
    stoppedTasks;
    events;
    constructor(kind, message, 
    /** The PRIMARY deployment at the time, when it is not ours (the circuit breaker's rollback). */
    primary, stoppedTasks, 
    /** Service events logged while it was watched, oldest first. */
    events) {
        super(message);
        this.kind = kind;
        this.primary = primary;
        this.stoppedTasks = stoppedTasks;
        this.events = events;
        this.name = 'RolloutFailure';
    }
}
/** Polls until the deployment completes; returns the last service read, or throws a RolloutFailure. */
async function watchRollout(ctx, target) {
    const { settings, clock, log } = ctx;
    const started = clock.now();
    const stopped = new StoppedTasks(ctx, target);
    log.info(`Watching the ${target.label} of ${(0,arns/* revisionName */.p)(target.taskDefinitionArn)} (deployment ${target.deploymentId}) every ${(0,src_clock/* formatDuration */.a)(settings.pollIntervalSeconds)}, for up to ${(0,src_clock/* formatDuration */.a)(settings.waitTimeoutSeconds)}`);
    const events = [];
    // Deployments and target health at each moment they changed, for the job summary.
    const moments = log.table(`${capitalize(target.label)} of ${(0,arns/* revisionName */.p)(target.taskDefinitionArn)}`, [
        'at',
        'deployments',
        'target health'
    ]);
    let failedTasks = 0;
    let seenOurs = false;
    const look = async (polls) => {
        const service = await (0,ecs/* describeService */.Jv)(ctx.aws, settings.cluster, settings.service);
        let changed = false;
        const deploymentLines = (service.deployments ?? []).map(d => deploymentLine(d, target.deploymentId));
        (service.deployments ?? []).forEach((d, i) => {
            changed = log.change(`deployment:${d.id}`, deploymentLines[i]) || changed;
        });
        for (const e of takeNewEvents(service.events ?? [], target.seenEventIds)) {
            events.push(e.message ?? '');
            log.info(eventLine(e));
        }
        const healthLines = [];
        for (const tg of target.targetGroups) {
            // Sorted by state, so the same counts always read the same and log once.
            const targets = (await (0,elbv2/* describeTargetHealth */.fw)(ctx.aws, tg.arn)).sort((a, b) => (a.TargetHealth?.State ?? '').localeCompare(b.TargetHealth?.State ?? ''));
            healthLines.push(`${tg.name}: ${(0,elbv2/* targetHealthCounts */.KV)(targets)}`);
            changed = log.change(`target-health:${tg.arn}`, `Target group ${healthLines.at(-1)}`) || changed;
        }
        if (changed)
            moments.add([`+${log.elapsed(started)}`, deploymentLines.join('\n'), healthLines.join('\n')]);
        const ours = (service.deployments ?? []).find(d => d.id === target.deploymentId);
        // Stopped tasks are looked up only when ECS counts a new failure: no extra calls while healthy.
        if ((ours?.failedTasks ?? 0) > failedTasks) {
            failedTasks = ours?.failedTasks ?? 0;
            await stopped.collect();
        }
        let state = (0,ecs_deployments/* rolloutState */.Zd)(service, target.deploymentId);
        if (ours)
            seenOurs = true;
        else if (state.kind === 'replaced' && !seenOurs && polls <= UNSEEN_POLLS) {
            // Not listed yet right after UpdateService (eventual consistency): gone only once seen.
            log.debug(`Deployment ${target.deploymentId} is not listed yet (poll ${polls})`);
            state = { kind: 'in-progress' };
        }
        if (state.kind === 'completed')
            return { done: true, service, ours };
        if (state.kind === 'failed' || state.kind === 'replaced') {
            await stopped.collect();
            const by = state.primary && state.primary.id !== target.deploymentId ? state.primary : undefined;
            const message = state.kind === 'failed'
                ? `ECS marked the ${target.label} of ${(0,arns/* revisionName */.p)(target.taskDefinitionArn)} FAILED after ${log.elapsed(started)}: ${state.reason}`
                : `The ${target.label} of ${(0,arns/* revisionName */.p)(target.taskDefinitionArn)} was replaced after ${log.elapsed(started)}${by ? ` by deployment ${by.id} of ${(0,arns/* revisionName */.p)(by.taskDefinition)}` : ''} (the circuit breaker rolled it back, or another deploy started)`;
            throw new RolloutFailure(state.kind, message, by, stopped.tasks, events);
        }
        if (target.probe && target.probe.errors > settings.maxProbeErrors) {
            throw new RolloutFailure('probe', (0,src_probe/* probeFailureMessage */.SO)(target.probe.report(), target.label, settings.maxProbeErrors), undefined, stopped.tasks, events);
        }
        return { done: false, service, ours };
    };
    const { last } = await (0,poll/* pollUntil */.g)(ctx, {
        key: `rollout:${target.deploymentId}`,
        timeoutMs: settings.waitTimeoutSeconds * 1000,
        intervalMs: settings.pollIntervalSeconds * 1000,
        deadline: 'clip',
        timedOut: async ({ ours }) => {
            await stopped.collect();
            return new RolloutFailure('timeout', `The ${target.label} of ${(0,arns/* revisionName */.p)(target.taskDefinitionArn)} did not complete within '${constants/* Inputs */.G0.WaitTimeout}' ${(0,src_clock/* formatDuration */.a)(settings.waitTimeoutSeconds)}${ours ? ` (${ours.runningCount ?? 0} of ${ours.desiredCount ?? 0} tasks running, ${ours.rolloutState ?? 'no rollout state'})` : ''}`, undefined, stopped.tasks, events);
        }
    }, look);
    log.info(`The ${target.label} of ${(0,arns/* revisionName */.p)(target.taskDefinitionArn)} completed after ${log.elapsed(started)}`);
    return last.service;
}
/** The stopped tasks of the watched deployment, each logged once with its reason and exit codes. */
class StoppedTasks {
    ctx;
    target;
    tasks = [];
    seen = new Set();
    constructor(ctx, target) {
        this.ctx = ctx;
        this.target = target;
    }
    async collect() {
        const { aws, settings, log } = this.ctx;
        const fresh = (await (0,ecs/* listStoppedTasks */.em)(aws, settings.cluster, settings.service)).filter(a => !this.seen.has(a));
        if (fresh.length === 0)
            return;
        for (const arn of fresh)
            this.seen.add(arn);
        for (const task of await (0,ecs/* describeTasks */.yz)(aws, settings.cluster, fresh)) {
            if (!taskOfDeployment(task, this.target.deploymentId, this.target.taskDefinitionArn))
                continue;
            this.tasks.push(task);
            log.info(stoppedTaskLine(task));
        }
    }
}
function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/update.ts
// Step 3: point the service at the new revision and find the deployment that started; and, at the
// end, check that the service really runs it.





async function startRollout(ctx, pre, taskDefinitionArn, forceNewDeployment) {
    const { settings, log } = ctx;
    const planned = {
        ...pre.service,
        taskDefinition: taskDefinitionArn,
        deployments: [{ id: '<new deployment>', status: 'PRIMARY', taskDefinition: taskDefinitionArn }]
    };
    const service = await (0,ecs/* updateService */.bU)(ctx.aws, {
        cluster: settings.cluster,
        service: settings.service,
        taskDefinition: taskDefinitionArn,
        forceNewDeployment
    }, planned);
    if (!ctx.aws.dryRun)
        ctx.state.record('changed', 'service', serviceLabel(settings.cluster, settings.service));
    const deployment = (0,ecs_deployments/* startedDeployment */.DJ)(service, taskDefinitionArn);
    if (!deployment?.id) {
        const primary = (0,ecs_deployments/* primaryDeployment */.sg)(service);
        throw new errors/* DeployError */.sH(`UpdateService did not start a deployment of ${(0,arns/* revisionName */.p)(taskDefinitionArn)}: the service points at ${(0,arns/* revisionName */.p)(service.taskDefinition)} and its PRIMARY deployment runs ${(0,arns/* revisionName */.p)(primary?.taskDefinition)}.`, `check the service's deployment controller and events; another deploy may have changed it at the same time.`);
    }
    log.info(`Deployment ${deployment.id} of ${(0,arns/* revisionName */.p)(taskDefinitionArn)} started`);
    return { deploymentId: deployment.id, taskDefinitionArn };
}
/** The service must end on our revision: a rollout can complete and still be replaced right after. */
async function verifyRunning(ctx, taskDefinitionArn) {
    const { settings } = ctx;
    const service = await (0,ecs/* describeService */.Jv)(ctx.aws, settings.cluster, settings.service);
    if (service.taskDefinition !== taskDefinitionArn)
        throw new errors/* DeployError */.sH(`The service runs ${(0,arns/* revisionName */.p)(service.taskDefinition)}, not ${(0,arns/* revisionName */.p)(taskDefinitionArn)}: another deployment replaced this one.`, `make deploys of this service run one at a time (a workflow 'concurrency' group), then deploy again.`);
    const others = (service.deployments ?? []).length - 1;
    ctx.log.info(`Verified: ${serviceLabel(settings.cluster, settings.service)} runs ${(0,arns/* revisionName */.p)(taskDefinitionArn)} (${service.runningCount ?? 0} of ${service.desiredCount ?? 0} tasks running${others > 0 ? `, ${others} other deployment(s) still listed` : ''})`);
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/rollback.ts
// Step 7: after a failed rollout, smoke test or probe, put the previous revision back in service:
// wait for the circuit breaker's own rollback when ECS started one, else start ours and watch it.






async function rollBack(ctx, pre, failure, deployed) {
    const { settings, log } = ctx;
    const previous = (0,arns/* revisionName */.p)(deployed.previousArn);
    const byEcs = failure instanceof RolloutFailure ? failure.primary : undefined;
    if (!settings.rollback) {
        const summary = byEcs
            ? `not waiting for ECS's circuit breaker rolling back to ${(0,arns/* revisionName */.p)(byEcs.taskDefinition)} ('${constants/* Inputs */.G0.Rollback}' is false)`
            : `the service is left on ${(0,arns/* revisionName */.p)(deployed.taskDefinitionArn)} ('${constants/* Inputs */.G0.Rollback}' is false)`;
        log.info(`Not rolling back: ${summary}`);
        return { rolledBack: false, summary };
    }
    if (byEcs?.id || deployed.previousArn !== deployed.taskDefinitionArn)
        await markRolledBackFrom(ctx, pre, deployed.taskDefinitionArn);
    const watch = { targetGroups: pre.facts.targetGroups, seenEventIds: pre.seenEventIds };
    try {
        if (byEcs?.id) {
            log.info(`ECS's circuit breaker is rolling back to ${(0,arns/* revisionName */.p)(byEcs.taskDefinition)}: waiting for it`);
            await watchRollout(ctx, {
                ...watch,
                label: 'circuit-breaker rollback',
                deploymentId: byEcs.id,
                taskDefinitionArn: byEcs.taskDefinition ?? deployed.previousArn
            });
            ctx.state.setRolledBack(true);
            return {
                rolledBack: true,
                summary: `ECS's circuit breaker rolled the service back to ${(0,arns/* revisionName */.p)(byEcs.taskDefinition)}`
            };
        }
        if (deployed.previousArn === deployed.taskDefinitionArn) {
            const summary = `nothing to roll back to: the previous revision is ${previous} as well`;
            log.info(summary);
            return { rolledBack: false, summary };
        }
        log.info(`Rolling back to ${previous}`);
        const rollback = await startRollout(ctx, pre, deployed.previousArn, false);
        try {
            await watchRollout(ctx, { ...watch, label: 'rollback', ...rollback });
        }
        catch (e) {
            // The circuit breaker may start its own rollback to the same revision just after ours: follow it.
            const same = e instanceof RolloutFailure && e.kind === 'replaced' ? e.primary : undefined;
            if (same?.id === undefined || same.taskDefinition !== deployed.previousArn)
                throw e;
            log.info(`Deployment ${same.id} (ECS's own rollback to ${previous}) replaced ours: following it`);
            await watchRollout(ctx, {
                ...watch,
                label: 'rollback',
                deploymentId: same.id,
                taskDefinitionArn: deployed.previousArn
            });
        }
        ctx.state.setRolledBack(true);
        return { rolledBack: true, summary: `rolled back to ${previous}` };
    }
    catch (e) {
        throw new errors/* DeployError */.sH(`${(0,errors/* errorMessage */.gJ)(failure)}; the rollback to ${previous} failed too: ${(0,errors/* errorMessage */.gJ)(e)}`, `the service needs attention now: check its events and tasks in the ECS console, and update it to a working revision (${deployed.previousArn}) by hand.`, { cause: e });
    }
}
/**
 * Tags the service `zdt:rolled-back-from=<arn>` before the rollback starts, so that a run cancelled
 * mid-rollback still leaves word of the failed revision for the next run. Best effort: a refused tag
 * must not stop the rollback.
 */
async function markRolledBackFrom(ctx, pre, failedArn) {
    const serviceArn = pre.service.serviceArn;
    if (!serviceArn)
        return;
    try {
        await (0,ecs/* tagEcsResource */.Ef)(ctx.aws, serviceArn, { [constants/* Tags */.YD.RolledBackFrom]: failedArn });
    }
    catch (e) {
        ctx.log.warning(`Could not tag the service ${constants/* Tags */.YD.RolledBackFrom}=${(0,arns/* revisionName */.p)(failedArn)} before rolling back: ${(0,errors/* errorMessage */.gJ)(e)}`);
    }
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/unchanged.ts
// A deploy that changes nothing still proves the service healthy: steady on the revision it already
// runs, and the smoke test passing. A re-run of a deploy cancelled mid-rollback lands here, on the very
// revision that failed; without this it would say "nothing deployed" and pass.






async function proveUnchanged(ctx, pre, next) {
    const { settings, log } = ctx;
    const target = serviceLabel(settings.cluster, settings.service);
    const runs = `${target} already runs ${next.description}`;
    // The tag a rollback writes before it starts (rollback.ts): this revision failed a previous run.
    const rolledBackFrom = pre.service.tags?.find(t => t.key === constants/* Tags */.YD.RolledBackFrom)?.value;
    const failedBefore = rolledBackFrom === next.arn
        ? ` ${(0,arns/* revisionName */.p)(next.arn)} is the revision a previous zdt-deploy run rolled back from (service tag ${constants/* Tags */.YD.RolledBackFrom}); that rollback did not finish.`
        : '';
    if (failedBefore)
        log.warning(failedBefore.trim());
    const fix = `deploy a working image${failedBefore ? '' : ' (or re-run once the service has settled)'}, or update the service to a working revision by hand.`;
    await log.phase('Verify', async () => {
        const why = (0,ecs_deployments/* notSteadyOn */.hK)(pre.service, next.arn);
        if (why)
            throw new errors/* DeployError */.sH(`${runs}, but the service is not steady: ${why}.${failedBefore}`, fix);
        log.info(`Service steady on ${(0,arns/* revisionName */.p)(next.arn)}: ${pre.service.runningCount ?? 0} of ${pre.service.desiredCount ?? 0} tasks running`);
    });
    await log.phase('Smoke test', async () => {
        try {
            await (0,smoke/* runSmokeTest */.pb)(ctx, pre.url);
        }
        catch (e) {
            if (!(e instanceof errors/* DeployError */.sH))
                throw e;
            throw new errors/* DeployError */.sH(`${runs}, but it is not healthy: ${e.message}.${failedBefore}`, e.hint ?? fix, {
                cause: e
            });
        }
    });
    return {
        outcome: 'unchanged',
        message: `${runs}: nothing deployed; the service is steady${pre.url ? ' and the smoke test passed' : ''}.`
    };
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/index.ts














async function ecsRolling(ctx) {
    const { settings, log } = ctx;
    const target = serviceLabel(settings.cluster, settings.service);
    ctx.state.setRolledBack(false);
    // The file is read first: a missing or malformed one fails before any AWS call.
    const file = settings.taskDefinitionPath
        ? await loadTaskDefinitionFile(ctx.workspace, settings.taskDefinitionPath)
        : undefined;
    // 1. Pre-flight (read-only): refuse settings that guarantee downtime; derive the URL.
    const pre = await log.phase('Pre-flight', () => preflight(ctx));
    // 2. The task definition: register the new revision, or, when nothing changed, prove the service
    //    healthy on the one it runs and stop there.
    const next = await log.phase('Task definition', () => nextTaskDefinition(ctx, pre, file));
    if (next.unchanged)
        return proveUnchanged(ctx, pre, next);
    // 3. Update the service; the probe watches the URL from here until the old tasks are gone.
    const probe = await (0,src_probe/* startTrafficProbe */.sK)(ctx, pre.url);
    let rollout;
    try {
        rollout = await log.phase('Update service', () => startRollout(ctx, pre, next.arn, settings.forceNewDeployment));
    }
    catch (e) {
        await (0,src_probe/* finishTrafficProbe */.vQ)(ctx, probe);
        throw e;
    }
    if (settings.dryRun) {
        (0,summary/* reportPlan */._S)(log, ctx.aws.mutations);
        return {
            outcome: 'planned',
            message: `Dry run: would deploy ${next.description} to ${target} (previous: ${(0,arns/* revisionName */.p)(next.previousArn)}); nothing was changed.`
        };
    }
    try {
        // 4. Watch the rollout until our deployment is COMPLETED and the old ones are gone.
        await log.phase('Rollout', () => watchWithProbe(ctx, pre, rollout, probe));
        // 5. Smoke test the URL.
        await log.phase('Smoke test', () => (0,smoke/* runSmokeTest */.pb)(ctx, pre.url));
        // 6. The service must end on our revision.
        await log.phase('Verify', () => verifyRunning(ctx, next.arn));
    }
    catch (failure) {
        // 7. Roll back (or say why not), then fail with what happened and what to fix.
        throw await log.phase('Rollback', () => failAfterRollback(ctx, pre, failure, next));
    }
    return {
        outcome: 'deployed',
        message: `Deployed ${next.description} to ${target} (previous: ${(0,arns/* revisionName */.p)(next.previousArn)}).`
    };
}
/** The rollout watch with the probe running; the probe's failures, even in the last poll, fail it. */
async function watchWithProbe(ctx, pre, rollout, probe) {
    let failure;
    try {
        await watchRollout(ctx, {
            label: 'rollout',
            ...rollout,
            targetGroups: pre.facts.targetGroups,
            seenEventIds: pre.seenEventIds,
            probe
        });
    }
    catch (e) {
        failure = e;
    }
    const report = await (0,src_probe/* finishTrafficProbe */.vQ)(ctx, probe);
    if (failure !== undefined)
        throw failure;
    if (report && report.errors > ctx.settings.maxProbeErrors)
        throw probeFailure(report, ctx.settings.maxProbeErrors);
}
function probeFailure(report, max) {
    return new RolloutFailure('probe', (0,src_probe/* probeFailureMessage */.SO)(report, 'rollout', max), undefined, [], []);
}
/** Rolls back, then returns the error the step fails with: the cause, the rollback, the fix. */
async function failAfterRollback(ctx, pre, failure, next) {
    const result = await rollBack(ctx, pre, failure, {
        taskDefinitionArn: next.arn,
        previousArn: next.previousArn
    });
    if (failure instanceof RolloutFailure) {
        const diagnosis = diagnoseRollout({
            kind: failure.kind,
            stoppedTasks: failure.stoppedTasks,
            events: failure.events,
            targetGroups: pre.facts.targetGroups,
            estimate: pre.estimate,
            waitTimeoutSeconds: ctx.settings.waitTimeoutSeconds
        });
        const cause = diagnosis.cause ? ` Cause: ${diagnosis.cause}.` : '';
        return new errors/* DeployError */.sH(`${failure.message}; ${result.summary}.${cause}`, diagnosis.hint, {
            cause: failure
        });
    }
    if (failure instanceof errors/* DeployError */.sH)
        return new errors/* DeployError */.sH(`${failure.message}; ${result.summary}.`, failure.hint, { cause: failure });
    // Unexpected errors (permissions, the network) keep their own explanation; the rollback is logged.
    ctx.log.info(`After the error '${(0,errors/* errorMessage */.gJ)(failure)}': ${result.summary}`);
    return failure instanceof Error ? failure : new Error((0,errors/* errorMessage */.gJ)(failure));
}


/***/ })

};
