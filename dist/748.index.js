export const id = 748;
export const ids = [748];
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

/***/ 748:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prPreview: () => (/* binding */ prPreview)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/strategies/pr-preview/action.ts
// What a pr-preview run does: the `preview-action` input, or with `auto` the event (SPEC "Events").


const DEPLOY_ON = new Set(['opened', 'synchronize', 'reopened', 'labeled']);
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
function selectAction(input, event, environmentInput = 'auto') {
    if (input !== 'auto')
        return { kind: input, why: `input '${constants/* Inputs */.G0.PreviewAction}: ${input}'` };
    const name = event.eventName;
    if (PULL_REQUEST_EVENTS.has(name)) {
        const action = event.pullRequest?.action ?? String(event.payload.action ?? '');
        if (DEPLOY_ON.has(action))
            return { kind: 'deploy', why: `${name} ${action}` };
        if (action === 'closed')
            return { kind: 'destroy', why: `${name} closed` };
        return {
            kind: 'skip',
            why: `${name} '${action || 'unknown'}' does not change a preview (deploys on opened, synchronize, reopened, labeled; tears down on closed)`
        };
    }
    if (name === 'schedule' || name === 'workflow_dispatch')
        return { kind: 'sweep', why: name };
    // SPEC "anything else": deploy to the environment the input names (e.g. `pr-42` on a push).
    if (environmentInput !== 'auto')
        return {
            kind: 'deploy',
            why: `event '${name || 'unknown'}' with '${constants/* Inputs */.G0.Environment}: ${environmentInput}'`
        };
    throw new errors/* DeployError */.sH(`Inputs '${constants/* Inputs */.G0.PreviewAction}' and '${constants/* Inputs */.G0.Environment}' are 'auto' but event '${name || 'unknown'}' says neither deploy, tear down nor sweep, and names no pull request.`, `run pr-preview on pull_request (deploy/tear down) or schedule/workflow_dispatch (sweep), set '${constants/* Inputs */.G0.Environment}' to the PR's environment (e.g. 'pr-42') to deploy it, or set '${constants/* Inputs */.G0.PreviewAction}' to deploy, destroy or sweep.`);
}
/** The PR a deploy or teardown is about: the event's, else an `environment` input like `pr-42`. */
function pullRequestNumber(event, environmentInput) {
    if (event.pullRequest)
        return event.pullRequest.number;
    const m = /^pr-(\d+)$/.exec(environmentInput);
    return m ? Number(m[1]) : undefined;
}
/** A pull request from another repository (a fork): its code must not get AWS credentials' reach. */
function isForkPullRequest(event) {
    const pr = event.pullRequest;
    if (!pr)
        return false;
    // GitHub sends `head.repo: null` when the fork was deleted: its origin is unknown, so it is refused too.
    const head = event.payload.pull_request?.head;
    if (head && head.repo === null && pr.baseRepo)
        return true;
    if (!pr.headRepo || !pr.baseRepo)
        return false;
    return pr.headRepo.toLowerCase() !== pr.baseRepo.toLowerCase();
}

// EXTERNAL MODULE: ./src/aws/containers.ts
var containers = __webpack_require__(9089);
// EXTERNAL MODULE: ./src/deployments.ts
var deployments = __webpack_require__(6599);
// EXTERNAL MODULE: ./src/smoke.ts
var src_smoke = __webpack_require__(2754);
// EXTERNAL MODULE: ./src/summary.ts
var summary = __webpack_require__(8855);
// EXTERNAL MODULE: ./src/aws/arns.ts
var arns = __webpack_require__(6145);
// EXTERNAL MODULE: ./src/aws/ecs.ts
var ecs = __webpack_require__(1032);
// EXTERNAL MODULE: ./src/aws/elbv2.ts
var elbv2 = __webpack_require__(1000);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/strategies/pr-preview/naming.ts
// Deterministic names for a preview's resources, derived from the base service and the PR number, so a
// re-run, a teardown and a sweep arrive at the same names (tags then confirm they are ours).


/** `<cluster>/<service>`: which base service a preview copies (tag value and comment marker). */
function baseKey(cluster, service) {
    return `${(0,arns/* shortName */.E)(cluster)}/${(0,arns/* shortName */.E)(service)}`;
}
/** Six hex digits that tell previews of different base services apart in 32-character names. */
function baseHash(key) {
    return (0,external_node_crypto_.createHash)('sha256').update(key).digest('hex').slice(0, 6);
}
const ECS_NAME_MAX = 255;
const TARGET_GROUP_NAME_MAX = 32;
/** ECS names allow letters, digits, hyphens and underscores (255 at most). */
function ecsName(base, suffix) {
    const clean = base.replace(/[^A-Za-z0-9_-]/g, '-');
    return `${clean.slice(0, ECS_NAME_MAX - suffix.length)}${suffix}`;
}
/**
 * Target group names: at most 32 characters, only letters, digits and hyphens, no leading, trailing or
 * doubled hyphen. `<base, shortened>-pr<n>-<hash of cluster/service>` keeps them unique per base.
 */
function targetGroupName(key, pr) {
    const suffix = `pr${pr}-${baseHash(key)}`;
    const room = TARGET_GROUP_NAME_MAX - suffix.length - 1;
    const service = key.split('/').pop() ?? '';
    const prefix = service
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-+/, '')
        .slice(0, Math.max(0, room))
        .replace(/-+$/, '');
    return prefix ? `${prefix}-${suffix}` : suffix;
}
/** Matches the target group names of one base service's previews; group 1 is the PR number. */
function targetGroupNamePattern(key) {
    return new RegExp(`(?:^|-)pr(\\d+)-${baseHash(key)}$`);
}
function previewHost(pr, domain) {
    return `pr-${pr}.${domain}`;
}
function previewNames(cluster, service, pr, domain) {
    const key = baseKey(cluster, service);
    const name = ecsName((0,arns/* shortName */.E)(service), `-pr-${pr}`);
    return {
        pr,
        environment: `pr-${pr}`,
        baseKey: key,
        service: name,
        family: name,
        targetGroup: targetGroupName(key, pr),
        host: domain ? previewHost(pr, domain) : undefined
    };
}
/**
 * Listener ports to try, in order: `from + pr mod size` first (stable for a PR across runs), then the
 * following ports, wrapping around the range, skipping `used`.
 */
function portCandidates(pr, range, used) {
    const size = range.to - range.from + 1;
    const out = [];
    for (let i = 0; i < size; i++) {
        const port = range.from + ((pr + i) % size);
        if (!used.has(port))
            out.push(port);
    }
    return out;
}
// Rule priorities previews take: from 1000 up, leaving 1-999 to rules people write by hand.
const PRIORITY_FLOOR = 1000;
const PRIORITY_MAX = 50000;
/** The first free priority at or after `PRIORITY_FLOOR + pr`, wrapping within the preview band. */
function nextFreePriority(pr, used) {
    const size = PRIORITY_MAX - PRIORITY_FLOOR + 1;
    for (let i = 0; i < size; i++) {
        const priority = PRIORITY_FLOOR + ((pr + i) % size);
        if (!used.has(priority))
            return priority;
    }
    return undefined;
}
/** The hidden marker that finds this preview's PR comment again. */
function commentMarker(key) {
    return `<!-- zdt-deploy:preview:${key.replace(/-{2,}/g, '-').replace(/[<>]/g, '')} -->`;
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/base.ts







async function readSharedAlb(ctx) {
    const { settings, aws } = ctx;
    const listener = await (0,elbv2/* describeListener */.gx)(aws, settings.listenerArn).catch((e) => {
        // ELB answers a well-formed ARN of no listener (or one of another region) with an error.
        if ((0,errors/* hasErrorCode */.Ue)(e, 'ListenerNotFound', 'ValidationError'))
            throw new errors/* DeployError */.sH(`Listener ${settings.listenerArn} ('${constants/* Inputs */.G0.ListenerArn}') was not found: ${(0,errors/* errorMessage */.gJ)(e)}`, `set '${constants/* Inputs */.G0.ListenerArn}' to the ARN of the shared ALB's listener (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>) in the region the action runs in.`, { cause: e });
        throw e;
    });
    if (!listener.LoadBalancerArn)
        throw new errors/* DeployError */.sH(`Listener ${settings.listenerArn} has no load balancer.`, `check '${constants/* Inputs */.G0.ListenerArn}'.`);
    const loadBalancer = await (0,elbv2/* describeLoadBalancer */.mD)(aws, listener.LoadBalancerArn);
    if (loadBalancer.Type && loadBalancer.Type !== 'application')
        throw new errors/* DeployError */.sH(`Load balancer ${loadBalancer.LoadBalancerName} is a ${loadBalancer.Type} load balancer; previews need an Application Load Balancer (host rules, HTTP listeners).`, `set '${constants/* Inputs */.G0.ListenerArn}' to a listener of an Application Load Balancer.`);
    return {
        repo: ctx.event.repository,
        baseKey: baseKey(settings.cluster, settings.service),
        cluster: settings.cluster,
        serviceName: (0,arns/* shortName */.E)(settings.service),
        listener,
        loadBalancer
    };
}
async function readBaseService(ctx) {
    const { settings, aws, log } = ctx;
    const service = await (0,ecs/* describeService */.Jv)(aws, settings.cluster, settings.service);
    if (!service.taskDefinition)
        throw new errors/* DeployError */.sH(`Base service ${settings.service} has no task definition.`, `check '${constants/* Inputs */.G0.Service}'.`);
    const { taskDefinition } = await (0,ecs/* describeTaskDefinition */.oh)(aws, service.taskDefinition);
    const lb = (service.loadBalancers ?? []).find(l => l.targetGroupArn && l.containerName && l.containerPort);
    if (!lb?.targetGroupArn || !lb.containerName || lb.containerPort === undefined)
        throw new errors/* DeployError */.sH(`Base service ${settings.service} is not behind a load balancer target group, so there is no container port and health check for a preview to copy.`, `point '${constants/* Inputs */.G0.Service}' at a service attached to an ALB target group.`);
    const targetGroup = await (0,elbv2/* describeTargetGroup */.__)(aws, lb.targetGroupArn);
    const delay = await (0,elbv2/* deregistrationDelaySeconds */.ZF)(aws, lb.targetGroupArn);
    // Several containers and no 'container-name': the image goes to the one behind the load balancer.
    const imageContainer = (0,containers/* pickContainer */.T)(taskDefinition.containerDefinitions ?? [], settings.containerName, {
        fallback: lb.containerName,
        where: `task definition ${taskDefinition.family}:${taskDefinition.revision}`
    });
    log.info(`Base service ${service.serviceName}: ${(0,arns/* shortName */.E)(service.taskDefinition)}, container ${lb.containerName}:${lb.containerPort}, target group ${targetGroup.TargetGroupName} (${targetGroup.Protocol}:${targetGroup.Port}, health ${targetGroup.HealthCheckPath ?? '-'})`);
    return {
        service,
        taskDefinition,
        lbContainer: { name: lb.containerName, port: lb.containerPort },
        imageContainer,
        targetGroup,
        deregistrationDelaySeconds: delay
    };
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/created.ts
// What this run created, so a failure halfway (a quota, a refused call) leaves nothing half-made:
// undo removes exactly these, newest first, and nothing that existed before the run.



class CreatedResources {
    state;
    items = [];
    constructor(state) {
        this.state = state;
    }
    /** Also recorded in the run's state, the one record of what the run did. */
    add(kind, id) {
        if (!id)
            return;
        this.items.push({ kind, id });
        this.state.record('created', kind, id);
    }
    get size() {
        return this.items.length;
    }
}
/** Removes what this run created (newest first); a failure to undo is logged, not thrown over the cause. */
async function undoCreated(ctx, cluster, created) {
    const { aws, log } = ctx;
    for (const { kind, id } of [...created.items].reverse()) {
        try {
            switch (kind) {
                case 'service':
                    await (0,ecs/* deleteService */.hs)(aws, cluster, id);
                    break;
                case 'rule':
                    await (0,elbv2/* deleteRule */.k3)(aws, id);
                    break;
                case 'listener':
                    await (0,elbv2/* deleteListener */.MA)(aws, id);
                    break;
                case 'target group':
                    await (0,elbv2/* deleteTargetGroupWhenFree */.C_)(aws, id);
                    break;
                case 'task definition':
                    await (0,ecs/* deregisterTaskDefinition */.T2)(aws, id);
                    break;
            }
            log.info(`Undone: ${kind} ${id}`);
        }
        catch (e) {
            log.warning(`Could not remove the ${kind} ${id} this run created: ${(0,errors/* errorMessage */.gJ)(e)}. Run the teardown (preview-action: destroy) to remove it.`);
        }
    }
}

// EXTERNAL MODULE: ./src/aws/tags.ts
var aws_tags = __webpack_require__(9580);
;// CONCATENATED MODULE: ./src/strategies/pr-preview/tags.ts
// The tags that make a resource part of a preview. Re-runs, teardowns and sweeps find resources by these,
// never by memory (SPEC "Resources it creates are tagged").


/** Which base service (`<cluster>/<service>`) a preview copies: previews of two services stay apart. */
const PREVIEW_OF_TAG = 'zdt:preview-of';
function previewTags(scope, pr, deployedAt) {
    return {
        ...(0,aws_tags/* managedTags */.L8)(scope.repo),
        // Written even when empty: previewPr matches a preview by it.
        [constants/* Tags */.YD.Repo]: scope.repo,
        [constants/* Tags */.YD.Pr]: String(pr),
        [PREVIEW_OF_TAG]: scope.baseKey,
        [constants/* Tags */.YD.DeployedAt]: new Date(deployedAt).toISOString()
    };
}
/** The PR number when `tags` mark a preview of this scope (and of `pr`, when given); else undefined. */
function previewPr(tags, scope, pr) {
    if (!tags)
        return undefined;
    if (tags[constants/* Tags */.YD.ManagedBy] !== constants/* MANAGED_BY_VALUE */.Q9)
        return undefined;
    if (tags[constants/* Tags */.YD.Repo] !== scope.repo || tags[PREVIEW_OF_TAG] !== scope.baseKey)
        return undefined;
    const raw = tags[constants/* Tags */.YD.Pr];
    if (raw === undefined || !/^\d+$/.test(raw))
        return undefined;
    const n = Number(raw);
    return pr === undefined || n === pr ? n : undefined;
}
/** Milliseconds since the epoch of `zdt:deployed-at`, or undefined when missing or unreadable. */
function deployedAt(tags) {
    const raw = tags?.[constants/* Tags */.YD.DeployedAt];
    if (!raw)
        return undefined;
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? undefined : ms;
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/find.ts





function noResources(pr) {
    return {
        pr,
        services: [],
        targetGroups: [],
        rules: [],
        listeners: [],
        taskDefinitionArns: [],
        deployedAt: undefined
    };
}
function isEmpty(r) {
    return (!r ||
        r.services.length +
            r.targetGroups.length +
            r.rules.length +
            r.listeners.length +
            r.taskDefinitionArns.length ===
            0);
}
/** Every preview of this repository and base service, by PR; or only `pr`'s. */
async function findPreviews(ctx, alb, pr) {
    const found = new Map();
    const entry = (n) => {
        let r = found.get(n);
        if (!r) {
            r = noResources(n);
            found.set(n, r);
        }
        return r;
    };
    const note = (n, tags) => {
        const at = deployedAt(tags);
        const r = entry(n);
        if (at !== undefined && (r.deployedAt === undefined || at > r.deployedAt))
            r.deployedAt = at;
        return r;
    };
    for (const s of await previewServices(ctx, alb)) {
        const tags = (0,aws_tags/* fromEcsTags */.Pc)(s.tags);
        const n = previewPr(tags, alb, pr);
        if (n !== undefined)
            note(n, tags).services.push(s);
    }
    // Target groups: our names carry a hash of the base service, so only those need their tags read.
    const pattern = targetGroupNamePattern(alb.baseKey);
    const candidates = (await (0,elbv2/* listTargetGroups */.CS)(ctx.aws)).filter(tg => tg.TargetGroupArn && pattern.test(tg.TargetGroupName ?? ''));
    for (const [tg, n, tags] of await previewsAmong(ctx, alb, pr, candidates, tg => tg.TargetGroupArn))
        note(n, tags).targetGroups.push(tg);
    const rules = (await (0,elbv2/* describeRules */.NH)(ctx.aws, alb.listener.ListenerArn ?? '')).filter(r => !r.IsDefault && r.RuleArn);
    for (const [rule, n, tags] of await previewsAmong(ctx, alb, pr, rules, r => r.RuleArn))
        note(n, tags).rules.push(rule);
    const listeners = (await (0,elbv2/* describeListeners */.Pd)(ctx.aws, alb.loadBalancer.LoadBalancerArn ?? '')).filter(l => l.ListenerArn && l.ListenerArn !== alb.listener.ListenerArn);
    for (const [listener, n, tags] of await previewsAmong(ctx, alb, pr, listeners, l => l.ListenerArn))
        note(n, tags).listeners.push(listener);
    // Task definitions live in the preview's own family; their tags confirm each revision is ours.
    const prs = pr === undefined ? [...found.keys()] : [pr];
    for (const n of prs) {
        const family = previewNames(alb.cluster, alb.serviceName, n).family;
        for (const arn of await (0,ecs/* listTaskDefinitionArns */.l8)(ctx.aws, family)) {
            const { tags } = await (0,ecs/* describeTaskDefinition */.oh)(ctx.aws, arn);
            const map = (0,aws_tags/* fromEcsTags */.Pc)(tags);
            if (previewPr(map, alb, n) !== undefined)
                note(n, map).taskDefinitionArns.push(arn);
        }
    }
    for (const [n, r] of found)
        if (isEmpty(r))
            found.delete(n);
    return found;
}
/** The ELB resources among `items` whose tags mark them as a preview (of `pr`, when given). */
async function previewsAmong(ctx, alb, pr, items, arnOf) {
    const tags = await (0,elbv2/* describeTags */.FE)(ctx.aws, items.map(i => arnOf(i) ?? ''));
    const result = [];
    for (const item of items) {
        const t = tags.get(arnOf(item) ?? '');
        const n = previewPr(t, alb, pr);
        if (n !== undefined && t)
            result.push([item, n, t]);
    }
    return result;
}
/** The cluster's services that still exist (ACTIVE or DRAINING), with their tags. */
async function previewServices(ctx, alb) {
    const arns = await (0,ecs/* listServiceArns */.m8)(ctx.aws, alb.cluster);
    const services = await (0,ecs/* describeServicesWithTags */.zl)(ctx.aws, alb.cluster, arns);
    return services.filter(s => s.status !== 'INACTIVE');
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/comment.ts
// The PR comment: one per preview, found again by its hidden marker and edited on every run. Anything
// a PR author controls (branch, title) is rendered inert: no links, mentions, HTML or code spans.
// Characters that start markup in GitHub Markdown or HTML, written as numeric entities: they render as
// themselves but cannot open a link, an image, a tag, emphasis, a code span or a table cell.
const ENTITY = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '`': '&#96;',
    '[': '&#91;',
    ']': '&#93;',
    '(': '&#40;',
    ')': '&#41;',
    '*': '&#42;',
    _: '&#95;',
    '~': '&#126;',
    '|': '&#124;',
    '\\': '&#92;',
    '!': '&#33;',
    '#': '&#35;',
    ':': '&#58;'
};
const MAX_TEXT = 200;
/** PR-supplied text as plain, inert Markdown on one line. */
function inert(text) {
    // eslint-disable-next-line no-control-regex
    let t = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
    if (t.length > MAX_TEXT)
        t = `${t.slice(0, MAX_TEXT - 1)}…`;
    return (t
        .replace(/[&<>"'`[\]()*_~|\\!#:]/g, c => ENTITY[c])
        // A zero-width space after `@` keeps `@team` from notifying anyone; after `www` from autolinking.
        .replace(/@/g, '@&#8203;')
        .replace(/www\./gi, m => `${m.slice(0, 3)}&#8203;.`));
}
const SHA = /^[0-9a-f]{7,64}$/i;
const SAFE_URL = /^https?:\/\/[^\s<>()[\]`"'\\]+$/;
const HEADINGS = {
    deployed: '✅ Preview is ready',
    failed: '❌ Preview failed',
    'torn-down': '🧹 Preview torn down',
    removed: '🧹 Preview removed'
};
/** `2024-05-01 12:00 UTC` */
function commentTime(ms) {
    return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
function renderComment(m) {
    const lines = [m.marker, `### ${HEADINGS[m.status]}`, ''];
    const live = m.status === 'deployed' || m.status === 'failed';
    if (live && m.url)
        lines.push(`- **URL:** ${SAFE_URL.test(m.url) ? m.url : inert(m.url)}`);
    if (m.sha)
        lines.push(`- **Commit:** ${SHA.test(m.sha) ? `\`${m.sha}\`` : inert(m.sha)}`);
    if (m.branch)
        lines.push(`- **Branch:** ${inert(m.branch)}`);
    if (m.title)
        lines.push(`- **Title:** ${inert(m.title)}`);
    lines.push(`- **Status:** ${statusLine(m)}`);
    lines.push(`- **Updated:** ${commentTime(m.at)}`);
    lines.push('');
    const footer = m.status === 'deployed' || m.status === 'failed'
        ? 'Updated on every push; torn down when the pull request closes.'
        : 'Push to the pull request again (or reopen it) to get a new preview.';
    lines.push(`<sub>zdt-deploy pr-preview${m.where ? ` · ${inert(m.where)}` : ''} · ${footer}</sub>`);
    return lines.join('\n');
}
function statusLine(m) {
    const detail = m.detail ? `: ${inert(m.detail)}` : '';
    switch (m.status) {
        case 'deployed':
            return `deployed${detail}`;
        case 'failed':
            return `failed${detail}`;
        case 'torn-down':
            // The teardown's own reason (closed PR, or a manual `preview-action: destroy`): not user text.
            return `torn down${m.detail ? ` (${m.detail})` : ''}`;
        case 'removed':
            return `removed by the sweep${detail}`;
    }
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/pr-comment.ts
// Posting the PR comment. The preview is what matters: no token, or GitHub refusing, is a warning.


function statusMarker(status) {
    return `<!-- zdt-deploy:status:${status} -->`;
}
function body(model) {
    return `${renderComment(model)}\n${statusMarker(model.status)}`;
}
/** Creates the comment or edits the one carrying the marker. */
async function upsertPreviewComment(ctx, model) {
    const { github, log } = ctx;
    if (ctx.aws.dryRun) {
        log.info(`[dry-run] would comment on PR #${model.pr}: preview ${model.status}`);
        return;
    }
    if (!github) {
        log.warning(`No 'github-token': the preview's URL was not commented on PR #${model.pr}.`);
        return;
    }
    try {
        await github.upsertComment(model.pr, model.marker, body(model));
        log.info(`PR #${model.pr} comment: preview ${model.status}`);
    }
    catch (e) {
        log.warning(`Could not comment on PR #${model.pr}: ${hint(e)}`);
    }
}
/** Edits the existing comment only (a teardown never creates one); skips it if it already says so. */
async function editPreviewComment(ctx, model) {
    const { github, log } = ctx;
    if (ctx.aws.dryRun) {
        log.info(`[dry-run] would mark the PR #${model.pr} comment: preview ${model.status}`);
        return;
    }
    if (!github) {
        log.warning(`No 'github-token': the PR #${model.pr} comment was not updated.`);
        return;
    }
    try {
        const existing = await github.findComment(model.pr, model.marker);
        if (!existing || existing.body.includes(statusMarker(model.status)))
            return;
        await github.updateComment(existing.id, body(model));
        log.info(`PR #${model.pr} comment: preview ${model.status}`);
    }
    catch (e) {
        log.warning(`Could not update the PR #${model.pr} comment: ${hint(e)}`);
    }
}
function hint(e) {
    const status = e.status;
    if (status === 403 || status === 401)
        return `${(0,errors/* errorMessage */.gJ)(e)} (the token needs 'pull-requests: write'; fork PRs get a read-only token)`;
    return (0,errors/* errorMessage */.gJ)(e);
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/quotas.ts
// The shared ALB's quotas. A preview needs a rule (host mode) or a listener (port mode) and one more
// target group on the load balancer; when the ALB is full the deploy says so before creating anything,
// and an AWS "TooMany..." refusal later (a race) is reported the same way after the run's undo.



// AWS's defaults, used when DescribeAccountLimits is not allowed or does not list the quota.
const DEFAULT_RULES_PER_ALB = 100;
const DEFAULT_LISTENERS_PER_ALB = 50;
const DEFAULT_TARGET_GROUPS_PER_ALB = 100;
async function checkAlbQuotas(ctx, alb, pr, needs) {
    if (!needs.rule && !needs.listener && !needs.targetGroup)
        return;
    const { aws, log } = ctx;
    const lbArn = alb.loadBalancer.LoadBalancerArn ?? '';
    let limits = {};
    try {
        limits = await (0,elbv2/* describeAccountLimits */.BD)(aws);
    }
    catch (e) {
        log.debug(`DescribeAccountLimits failed (${(0,errors/* errorMessage */.gJ)(e)}); using AWS's default quotas`);
    }
    const listeners = needs.rule || needs.listener ? await (0,elbv2/* describeListeners */.Pd)(aws, lbArn) : [];
    if (needs.listener) {
        const limit = limits['listeners-per-application-load-balancer'] ?? DEFAULT_LISTENERS_PER_ALB;
        if (listeners.length >= limit)
            throw atQuota(alb, pr, 'listeners', listeners.length, limit);
    }
    if (needs.rule) {
        const limit = limits['rules-per-application-load-balancer'] ?? DEFAULT_RULES_PER_ALB;
        let rules = 0;
        for (const l of listeners) {
            rules += (await (0,elbv2/* describeRules */.NH)(aws, l.ListenerArn ?? '')).filter(r => !r.IsDefault).length;
        }
        if (rules >= limit)
            throw atQuota(alb, pr, 'rules', rules, limit);
    }
    if (needs.targetGroup) {
        const limit = limits['target-groups-per-application-load-balancer'] ?? DEFAULT_TARGET_GROUPS_PER_ALB;
        const groups = (await (0,elbv2/* listTargetGroups */.CS)(aws, lbArn)).length;
        if (groups >= limit)
            throw atQuota(alb, pr, 'target groups', groups, limit);
    }
}
const QUOTA_NAMES = {
    rules: 'Rules per Application Load Balancer',
    listeners: 'Listeners per Application Load Balancer',
    'target groups': 'Target Groups per Application Load Balancer'
};
function atQuota(alb, pr, what, used, limit) {
    const lb = alb.loadBalancer.LoadBalancerName ?? alb.loadBalancer.LoadBalancerArn;
    const count = used !== undefined && limit !== undefined ? ` (${used} of ${limit} in use)` : '';
    const alternative = what === 'listeners'
        ? ` or set '${constants/* Inputs */.G0.PreviewDomain}' so previews share one listener through host rules`
        : '';
    return new errors/* DeployError */.sH(`The load balancer ${lb} is at its quota of ${what}${count}: no preview for PR #${pr} was created.`, `remove previews of closed pull requests (run this action with '${constants/* Inputs */.G0.PreviewAction}: sweep'), delete ${what} no longer used${alternative}, or request a higher '${QUOTA_NAMES[what]}' quota in Service Quotas.`);
}
/** AWS's own "TooMany..." refusals, as the same error the pre-check gives. */
function quotaError(e, alb, pr) {
    if ((0,errors/* hasErrorCode */.Ue)(e, 'TooManyRules'))
        return atQuota(alb, pr, 'rules', undefined, undefined);
    if ((0,errors/* hasErrorCode */.Ue)(e, 'TooManyListeners'))
        return atQuota(alb, pr, 'listeners', undefined, undefined);
    if ((0,errors/* hasErrorCode */.Ue)(e, 'TooManyUniqueTargetGroupsPerLoadBalancer'))
        return atQuota(alb, pr, 'target groups', undefined, undefined);
    if ((0,errors/* hasErrorCode */.Ue)(e, 'TooManyTargetGroups'))
        return new errors/* DeployError */.sH(`The account is at its quota of target groups in this region: no preview for PR #${pr} was created.`, `remove previews of closed pull requests (run this action with '${constants/* Inputs */.G0.PreviewAction}: sweep'), delete unused target groups, or request a higher 'Target Groups per Region' quota in Service Quotas.`);
    return undefined;
}

// EXTERNAL MODULE: ./src/aws/rules.ts
var rules = __webpack_require__(2922);
;// CONCATENATED MODULE: ./src/strategies/pr-preview/routing.ts





// Enough for a busy ALB: each attempt re-reads what is taken, so a lost race costs one attempt.
const MAX_ATTEMPTS = 10;
const TARGET_GROUP_NOT_YET = ['TargetGroupNotFound'];
async function ensureHostRule(ctx, alb, p) {
    const { aws, log } = ctx;
    const listenerArn = alb.listener.ListenerArn ?? '';
    const port = alb.listener.Port ?? 80;
    const mine = p.existing.find(r => (0,rules/* forwardsTo */.SX)(r.Actions, p.targetGroupArn) && (0,rules/* hostOf */.w4)(r) === p.host);
    if (mine?.RuleArn) {
        log.info(`Rule ${mine.Priority} already routes ${p.host} to the preview.`);
        return {
            kind: 'host',
            arn: mine.RuleArn,
            port,
            priority: Number(mine.Priority),
            host: p.host,
            created: false
        };
    }
    const tried = new Set();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const used = new Set((await (0,elbv2/* describeRules */.NH)(aws, listenerArn)).map(r => Number(r.Priority)).filter(Number.isFinite));
        for (const t of tried)
            used.add(t);
        const priority = nextFreePriority(p.pr, used);
        if (priority === undefined)
            throw new errors/* DeployError */.sH(`Listener ${listenerArn} has no free rule priority left.`, 'remove unused rules from the listener.');
        try {
            const rule = await aws.retryOn(TARGET_GROUP_NOT_YET, 'elasticloadbalancing:CreateRule', () => (0,elbv2/* createForwardRule */.kZ)(aws, {
                listenerArn,
                priority,
                conditions: [(0,rules/* hostCondition */.oF)(p.host)],
                targetGroupArn: p.targetGroupArn,
                tags: p.tags
            }));
            p.created.add('rule', rule.RuleArn);
            log.info(`Rule ${priority}: Host ${p.host} -> preview target group`);
            return {
                kind: 'host',
                arn: rule.RuleArn ?? `(planned rule ${priority})`,
                port,
                priority,
                host: p.host,
                created: true
            };
        }
        catch (e) {
            if (!(0,errors/* hasErrorCode */.Ue)(e, 'PriorityInUse'))
                throw e;
            log.info(`Priority ${priority} was taken meanwhile; trying the next free one.`);
            tried.add(priority);
        }
    }
    throw new errors/* DeployError */.sH(`Could not get a rule priority on ${listenerArn} after ${MAX_ATTEMPTS} attempts: other deploys kept taking them.`, 'run the deploy again.');
}
async function ensurePortListener(ctx, alb, p) {
    const { aws, log, settings } = ctx;
    const lbArn = alb.loadBalancer.LoadBalancerArn ?? '';
    const mine = p.existing.find(l => (0,rules/* forwardsTo */.SX)(l.DefaultActions, p.targetGroupArn));
    if (mine?.ListenerArn && mine.Port) {
        log.info(`Listener :${mine.Port} already routes to the preview.`);
        return { kind: 'port', arn: mine.ListenerArn, port: mine.Port, created: false };
    }
    const tried = new Set();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const listeners = await (0,elbv2/* describeListeners */.Pd)(aws, lbArn);
        const used = new Set(listeners.map(l => l.Port ?? 0));
        for (const t of tried)
            used.add(t);
        const port = portCandidates(p.pr, settings.previewPorts, used)[0];
        if (port === undefined)
            throw new errors/* DeployError */.sH(`Every port of '${constants/* Inputs */.G0.PreviewPorts}' (${settings.previewPorts.from}-${settings.previewPorts.to}) already has a listener on ${alb.loadBalancer.LoadBalancerName}.`, `widen '${constants/* Inputs */.G0.PreviewPorts}', remove previews of closed pull requests (preview-action: sweep), or set '${constants/* Inputs */.G0.PreviewDomain}' to route by host name.`);
        let listener;
        try {
            listener = await aws.retryOn(TARGET_GROUP_NOT_YET, 'elasticloadbalancing:CreateListener', () => (0,elbv2/* createForwardListener */.ub)(aws, {
                loadBalancerArn: lbArn,
                port,
                protocol: alb.listener.Protocol,
                sslPolicy: alb.listener.SslPolicy,
                certificates: alb.listener.Certificates,
                targetGroupArn: p.targetGroupArn,
                tags: p.tags
            }));
        }
        catch (e) {
            if (!(0,errors/* hasErrorCode */.Ue)(e, 'DuplicateListener'))
                throw e;
            log.info(`Port ${port} was taken meanwhile; trying the next free one.`);
            tried.add(port);
            continue;
        }
        const arn = listener.ListenerArn ?? '';
        if (!aws.dryRun && (await lostPortRace(ctx, lbArn, arn, port, p.pr))) {
            await (0,elbv2/* deleteListener */.MA)(aws, arn);
            log.info(`Port ${port} is shared with another listener; giving it up and trying the next free one.`);
            tried.add(port);
            continue;
        }
        p.created.add('listener', arn);
        log.info(`Listener :${port} -> preview target group`);
        return { kind: 'port', arn, port, created: true };
    }
    throw new errors/* DeployError */.sH(`Could not get a listener port on ${alb.loadBalancer.LoadBalancerName} after ${MAX_ATTEMPTS} attempts: other deploys kept taking them.`, 'run the deploy again.');
}
/**
 * After creating a listener: does another listener share its port (possible where the duplicate check is
 * not atomic)? The lower PR keeps the port; a non-preview listener always does. A rival with a higher PR
 * should give way by itself; if it is still there after a pause it had settled before us, so we move.
 */
async function lostPortRace(ctx, lbArn, mine, port, pr) {
    const rivals = await rivalsOn(ctx, lbArn, mine, port);
    if (rivals.length === 0)
        return false;
    if (rivals.some(r => r.pr === undefined || r.pr < pr || (r.pr === pr && r.arn < mine)))
        return true;
    await ctx.clock.sleep(RACE_SETTLE_MS);
    return (await rivalsOn(ctx, lbArn, mine, port)).length > 0;
}
const RACE_SETTLE_MS = 2000;
async function rivalsOn(ctx, lbArn, mine, port) {
    const rivals = (await (0,elbv2/* describeListeners */.Pd)(ctx.aws, lbArn)).filter(l => l.Port === port && l.ListenerArn !== mine);
    if (rivals.length === 0)
        return [];
    const tags = await (0,elbv2/* describeTags */.FE)(ctx.aws, rivals.map(l => l.ListenerArn ?? ''));
    return rivals.map(l => {
        const raw = tags.get(l.ListenerArn ?? '')?.[constants/* Tags */.YD.Pr];
        return { arn: l.ListenerArn ?? '', pr: raw && /^\d+$/.test(raw) ? Number(raw) : undefined };
    });
}

// EXTERNAL MODULE: ./src/aws/ecs-deployments.ts
var ecs_deployments = __webpack_require__(5321);
// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(9810);
;// CONCATENATED MODULE: ./src/strategies/pr-preview/wait.ts






async function waitForStable(ctx, cluster, name, taskDefinitionArn) {
    const { clock, log, settings, aws } = ctx;
    const started = clock.now();
    const { last } = await (0,poll/* pollUntil */.g)(ctx, {
        key: `preview-stable:${name}`,
        ...every(settings),
        timedOut: ({ service, status }) => {
            const event = service?.events?.[0]?.message;
            return new errors/* DeployError */.sH(`The preview service ${name} was not stable within ${(0,src_clock/* formatDuration */.a)(settings.waitTimeoutSeconds)} (${status})${event ? `; last ECS event: ${event}` : ''}.`, `check why its tasks do not start or stay unhealthy (ECS events, stopped tasks, target health), or raise '${constants/* Inputs */.G0.WaitTimeout}'.`);
        }
    }, async () => {
        const [service] = await (0,ecs/* describeServicesWithTags */.zl)(aws, cluster, [name]);
        const state = (0,ecs_deployments/* serviceStability */.lZ)(service, taskDefinitionArn);
        if (state.stable)
            return { done: true, service };
        const failure = state.failed
            ? new errors/* DeployError */.sH(`The preview service ${name} failed to deploy: ${state.failed}`, `check the stopped tasks and the application logs of ${name}; the image may not start or may fail its health check.`)
            : undefined;
        return { done: false, status: state.line, failure, service };
    });
    log.info(`Preview service ${name} is stable after ${log.elapsed(started)}.`);
    return last.service;
}
/** Waits while a deleted service with this name is still DRAINING (ECS refuses to reuse the name). */
async function waitUntilGone(ctx, cluster, name) {
    const { clock, log, settings, aws } = ctx;
    const started = clock.now();
    await (0,poll/* pollUntil */.g)(ctx, {
        key: `preview-gone:${name}`,
        line: status => `previous service ${name} is ${status}: waiting for ECS to finish removing it`,
        ...every(settings),
        timedOut: ({ status }) => new errors/* DeployError */.sH(`The previous preview service ${name} was still ${status} after ${(0,src_clock/* formatDuration */.a)(settings.waitTimeoutSeconds)}.`, `wait for ECS to finish deleting it and run the deploy again, or raise '${constants/* Inputs */.G0.WaitTimeout}'.`)
    }, async () => {
        const [s] = await (0,ecs/* describeServicesWithTags */.zl)(aws, cluster, [name]);
        return !s || s.status === 'INACTIVE' ? { done: true } : { done: false, status: s.status };
    });
    log.info(`The previous service ${name} is gone after ${log.elapsed(started)}.`);
}
/** Every `poll-interval`, each wait bounded by `wait-timeout`; no look would end past it. */
function every(settings) {
    return {
        timeoutMs: settings.waitTimeoutSeconds * 1000,
        intervalMs: settings.pollIntervalSeconds * 1000,
        deadline: 'whole'
    };
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/rollback.ts
// After a failed update of an existing preview: put back the revision it ran before, so the PR keeps a
// working preview. A first deploy has nothing to go back to: it stays up, marked failed, to debug.





/** Returns what happened to the preview (for the error message), or undefined when there was no earlier revision. */
async function rollBackPreview(ctx, service, deployedArn, failure) {
    const { settings, log, aws } = ctx;
    const previous = ctx.state.previousTaskDefinitionArn;
    if (!previous || previous === deployedArn)
        return undefined;
    if (!settings.rollback) {
        const summary = `the preview is left on ${(0,arns/* revisionName */.p)(deployedArn)} ('${constants/* Inputs */.G0.Rollback}' is false)`;
        log.info(`Not rolling back: ${summary}`);
        return summary;
    }
    return log.phase('Roll the preview back', async () => {
        try {
            await (0,ecs/* updateService */.bU)(aws, { cluster: settings.cluster, service, taskDefinition: previous }, { serviceName: service, taskDefinition: previous });
            log.info(`Service ${service} rolled back to ${previous}.`);
            await waitForStable(ctx, settings.cluster, service, previous);
        }
        catch (e) {
            throw new errors/* DeployError */.sH(`${(0,errors/* errorMessage */.gJ)(failure)}; the rollback to ${(0,arns/* revisionName */.p)(previous)} failed too: ${(0,errors/* errorMessage */.gJ)(e)}`, `check the preview service ${service} in the ECS console and update it to a working revision (${previous}) by hand, or push a fix.`);
        }
        ctx.state.setRolledBack(true);
        return `rolled back to ${(0,arns/* revisionName */.p)(previous)}`;
    });
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/url.ts
// The preview's URL: the `url` input with `{pr}` and `{port}` filled in, or derived: `pr-<n>.<domain>` in
// host mode, `<alb-dns>:<port>` in port mode. In host mode a URL whose host is not the preview's own
// (the ALB's DNS name, a tunnel) gets the preview's Host header, so the rule still matches.
function previewUrl(p) {
    const scheme = p.protocol === 'HTTPS' ? 'https' : 'http';
    const defaultPort = scheme === 'https' ? 443 : 80;
    const portSuffix = p.port === defaultPort ? '' : `:${p.port}`;
    const url = p.input
        ? p.input.replaceAll('{pr}', String(p.pr)).replaceAll('{port}', String(p.port))
        : p.host
            ? `${scheme}://${p.host}${portSuffix}`
            : `${scheme}://${p.albDnsName ?? 'localhost'}${portSuffix}`;
    let hostHeader;
    if (p.host) {
        try {
            if (new URL(url).hostname.toLowerCase() !== p.host.toLowerCase())
                hostHeader = p.host;
        }
        catch {
            hostHeader = p.host;
        }
    }
    return { url: url.replace(/\/+$/, ''), hostHeader };
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/task-definition.ts

function previewTaskDefinitionInput(base, family, container, image, tags) {
    return {
        family,
        taskRoleArn: base.taskRoleArn,
        executionRoleArn: base.executionRoleArn,
        networkMode: base.networkMode,
        containerDefinitions: (base.containerDefinitions ?? []).map(c => c.name === container && image ? { ...c, image } : c),
        volumes: base.volumes,
        placementConstraints: base.placementConstraints,
        requiresCompatibilities: base.requiresCompatibilities,
        cpu: base.cpu,
        memory: base.memory,
        pidMode: base.pidMode,
        ipcMode: base.ipcMode,
        proxyConfiguration: base.proxyConfiguration,
        inferenceAccelerators: base.inferenceAccelerators,
        ephemeralStorage: base.ephemeralStorage,
        runtimePlatform: base.runtimePlatform,
        tags: (0,aws_tags/* toEcsTags */.aA)(tags)
    };
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/resources.ts









const TARGET_GROUP_NOT_FOUND = ['TargetGroupNotFound'];
const AWS_DEFAULT_DEREGISTRATION_DELAY = 300;
async function registerPreviewTaskDefinition(ctx, base, names, tags, created) {
    const { settings, log } = ctx;
    const input = previewTaskDefinitionInput(base.taskDefinition, names.family, base.imageContainer, settings.image, tags);
    const td = await (0,ecs/* registerTaskDefinition */.eQ)(ctx.aws, input, {
        ...base.taskDefinition,
        family: names.family,
        containerDefinitions: input.containerDefinitions,
        taskDefinitionArn: `(planned ${names.family}:next)`
    });
    created.add('task definition', ctx.aws.dryRun ? undefined : td.taskDefinitionArn);
    log.info(`Task definition ${td.family}:${td.revision ?? 'next'} runs ${(0,containers/* imageOf */.d)(td, base.imageContainer) ?? '?'} in ${base.imageContainer}`);
    return td;
}
async function ensureTargetGroup(ctx, base, names, tags, existing, created) {
    const found = existing.targetGroups[0];
    if (found) {
        ctx.log.info(`Target group ${found.TargetGroupName} exists.`);
        return found;
    }
    const b = base.targetGroup;
    try {
        const tg = await (0,elbv2/* createTargetGroup */.vE)(ctx.aws, {
            Name: names.targetGroup,
            Protocol: b.Protocol,
            ProtocolVersion: b.ProtocolVersion,
            Port: b.Port,
            VpcId: b.VpcId,
            TargetType: b.TargetType,
            IpAddressType: b.IpAddressType,
            HealthCheckProtocol: b.HealthCheckProtocol,
            HealthCheckPort: b.HealthCheckPort,
            HealthCheckPath: b.HealthCheckPath,
            HealthCheckEnabled: b.HealthCheckEnabled,
            HealthCheckIntervalSeconds: b.HealthCheckIntervalSeconds,
            HealthCheckTimeoutSeconds: b.HealthCheckTimeoutSeconds,
            HealthyThresholdCount: b.HealthyThresholdCount,
            UnhealthyThresholdCount: b.UnhealthyThresholdCount,
            Matcher: b.Matcher
        }, tags);
        created.add('target group', ctx.aws.dryRun ? undefined : tg.TargetGroupArn);
        // A target group can stay invisible for a moment after its creation (eventual consistency): the
        // rule or listener and ECS refuse it meanwhile, so wait until a describe finds it.
        if (!ctx.aws.dryRun)
            await ctx.aws.retryOn(TARGET_GROUP_NOT_FOUND, 'elasticloadbalancing:DescribeTargetGroups', () => (0,elbv2/* describeTargetGroup */.__)(ctx.aws, tg.TargetGroupArn ?? ''));
        // AWS's default deregistration delay is 300 s; the base's (often shorter) keeps redeploys as quick.
        if (base.deregistrationDelaySeconds !== AWS_DEFAULT_DEREGISTRATION_DELAY)
            await (0,elbv2/* modifyTargetGroupAttributes */._k)(ctx.aws, tg.TargetGroupArn ?? '', {
                'deregistration_delay.timeout_seconds': String(base.deregistrationDelaySeconds)
            });
        ctx.log.info(`Target group ${names.targetGroup} created (${b.Protocol}:${b.Port}, ${b.TargetType}, health ${b.HealthCheckPath ?? '-'}, deregistration delay ${base.deregistrationDelaySeconds}s)`);
        return tg;
    }
    catch (e) {
        if ((0,errors/* hasErrorCode */.Ue)(e, 'DuplicateTargetGroupName'))
            throw new errors/* DeployError */.sH(`A target group named ${names.targetGroup} exists but is not tagged as the preview of PR #${names.pr} of ${ctx.event.repository}.`, `delete or rename that target group; zdt-deploy does not take over resources it did not create.`, { cause: e });
        throw e;
    }
}
async function ensureService(ctx, alb, base, names, td, targetGroupArn, tags, created) {
    const { aws, settings, log } = ctx;
    const cluster = settings.cluster;
    const tdArn = td.taskDefinitionArn ?? '';
    const loadBalancers = [
        { targetGroupArn, containerName: base.lbContainer.name, containerPort: base.lbContainer.port }
    ];
    const [current] = await (0,ecs/* describeServicesWithTags */.zl)(aws, cluster, [names.service]);
    if (current?.status === 'ACTIVE') {
        if (previewPr((0,aws_tags/* fromEcsTags */.Pc)(current.tags), alb, names.pr) === undefined)
            throw new errors/* DeployError */.sH(`A service named ${names.service} already runs in cluster ${cluster} and is not tagged as the preview of PR #${names.pr} of ${ctx.event.repository}.`, `rename or delete that service; zdt-deploy does not take over services it did not create.`);
        if (current.taskDefinition)
            ctx.state.setPreviousTaskDefinitionArn(current.taskDefinition);
        const sameTargetGroup = (current.loadBalancers ?? []).some(l => l.targetGroupArn === targetGroupArn);
        const updated = await (0,ecs/* updateService */.bU)(aws, {
            cluster,
            service: names.service,
            taskDefinition: tdArn,
            desiredCount: settings.previewDesiredCount,
            loadBalancers: sameTargetGroup ? undefined : loadBalancers
        }, { ...current, taskDefinition: tdArn, desiredCount: settings.previewDesiredCount });
        await (0,ecs/* tagEcsResource */.Ef)(aws, current.serviceArn ?? '', { [constants/* Tags */.YD.DeployedAt]: tags[constants/* Tags */.YD.DeployedAt] });
        log.info(`Service ${names.service} updated to ${tdArn}.`);
        return updated;
    }
    if (current?.status === 'DRAINING') {
        // Reopened right after a teardown: ECS refuses to create a service whose namesake is still draining.
        if (aws.dryRun)
            log.info(`[dry-run] would wait for the draining service ${names.service} to be gone`);
        else
            await waitUntilGone(ctx, cluster, names.service);
    }
    const b = base.service;
    const capacity = (b.capacityProviderStrategy ?? []).length > 0 ? b.capacityProviderStrategy : undefined;
    const awsvpc = b.networkConfiguration?.awsvpcConfiguration;
    const service = await createServiceOnceTargetGroupIsVisible(ctx, {
        cluster,
        serviceName: names.service,
        taskDefinition: tdArn,
        desiredCount: settings.previewDesiredCount,
        launchType: capacity ? undefined : b.launchType,
        capacityProviderStrategy: capacity,
        platformVersion: b.platformVersion,
        networkConfiguration: awsvpc ? { awsvpcConfiguration: awsvpc } : undefined,
        loadBalancers,
        healthCheckGracePeriodSeconds: b.healthCheckGracePeriodSeconds,
        deploymentConfiguration: rollingDeploymentConfiguration(b.deploymentConfiguration),
        placementConstraints: b.placementConstraints,
        placementStrategy: b.placementStrategy,
        enableExecuteCommand: b.enableExecuteCommand,
        enableECSManagedTags: b.enableECSManagedTags,
        propagateTags: 'SERVICE',
        tags: (0,aws_tags/* toEcsTags */.aA)(tags)
    });
    created.add('service', aws.dryRun ? undefined : names.service);
    log.info(`Service ${names.service} created with ${settings.previewDesiredCount} task(s).`);
    return service;
}
/**
 * The base's rolling-update settings only. A base on ECS blue/green, linear or canary (`strategy`)
 * needs an alternate target group and listener rule per load balancer (`advancedConfiguration`) that a
 * preview does not have, and its lifecycle hooks and bake time belong to production.
 */
function rollingDeploymentConfiguration(base) {
    if (!base)
        return undefined;
    const { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker, alarms } = base;
    return { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker, alarms };
}
// ECS may not see a target group created a moment ago: it answers InvalidParameterException naming it.
const TARGET_GROUP_NOT_VISIBLE = /target ?group/i;
const CREATE_SERVICE_ATTEMPTS = 5;
async function createServiceOnceTargetGroupIsVisible(ctx, input) {
    const notVisible = (e) => (0,errors/* hasErrorCode */.Ue)(e, 'InvalidParameter') && TARGET_GROUP_NOT_VISIBLE.test((0,errors/* errorMessage */.gJ)(e));
    return ctx.aws.retryOn(notVisible, 'ecs:CreateService', () => (0,ecs/* createService */.sR)(ctx.aws, input, {
        serviceName: input.serviceName,
        serviceArn: `(planned service ${input.serviceName})`,
        status: 'ACTIVE',
        desiredCount: input.desiredCount,
        taskDefinition: input.taskDefinition
    }), {
        attempts: CREATE_SERVICE_ATTEMPTS,
        backoffMs: 2000,
        onRetry: e => ctx.log.debug(`CreateService: target group not visible to ECS yet (${(0,errors/* errorMessage */.gJ)(e)}); trying again`)
    });
}
/** New deployed-at on the reused resources; routes of the other routing mode (input changed) removed. */
async function retagAndTidy(ctx, existing, route, targetGroupArn, tags) {
    const { aws, log } = ctx;
    const reused = [
        ...existing.targetGroups.map(t => t.TargetGroupArn ?? '').filter(a => a === targetGroupArn),
        ...(route.created ? [] : [route.arn])
    ];
    if (reused.length > 0)
        await (0,elbv2/* addTags */.JE)(aws, reused, { [constants/* Tags */.YD.DeployedAt]: tags[constants/* Tags */.YD.DeployedAt] });
    for (const rule of existing.rules)
        if (rule.RuleArn && rule.RuleArn !== route.arn) {
            await (0,elbv2/* deleteRule */.k3)(aws, rule.RuleArn);
            log.info(`Removed the preview's old rule ${rule.Priority}.`);
        }
    for (const listener of existing.listeners)
        if (listener.ListenerArn && listener.ListenerArn !== route.arn) {
            await (0,elbv2/* deleteListener */.MA)(aws, listener.ListenerArn);
            log.info(`Removed the preview's old listener :${listener.Port}.`);
        }
}
/** Earlier revisions of the preview's family: the service no longer runs them. */
async function deregisterOld(ctx, existing, current) {
    const old = existing.taskDefinitionArns.filter(a => a !== current);
    for (const arn of old) {
        try {
            await (0,ecs/* deregisterTaskDefinition */.T2)(ctx.aws, arn);
        }
        catch (e) {
            ctx.log.warning(`Could not deregister the old preview revision ${arn}: ${(0,errors/* errorMessage */.gJ)(e)}`);
        }
    }
    if (old.length > 0)
        ctx.log.info(`Deregistered ${old.length} earlier preview revision(s).`);
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/deploy.ts


















async function deployPreview(ctx, pr) {
    const { settings, aws, log, outputs, clock } = ctx;
    const names = previewNames(settings.cluster, settings.service, pr, settings.previewDomain);
    // The `environment` output is run()'s: `pr-<n>`, or the input as given (SPEC). The GitHub
    // deployment stays per PR (names.environment), so a teardown marks only this PR's inactive.
    ctx.state.setRolledBack(false);
    const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx));
    const base = await log.phase('Read the base service', () => readBaseService(ctx));
    const existing = (await log.phase('Find the existing preview', () => findPreviews(ctx, alb, pr))).get(pr) ??
        noResources(pr);
    log.info(describeExisting(existing, names));
    const tags = previewTags(alb, pr, clock.now());
    const created = new CreatedResources(ctx.state);
    let taskDefinition;
    let route;
    try {
        const targetGroupExists = existing.targetGroups.length > 0;
        await log.phase('Check the load balancer quotas', () => checkAlbQuotas(ctx, alb, pr, {
            targetGroup: !targetGroupExists,
            rule: names.host !== undefined && !(targetGroupExists && existing.rules.length > 0),
            listener: names.host === undefined && !(targetGroupExists && existing.listeners.length > 0)
        }));
        taskDefinition = await log.phase('Register the preview task definition', () => registerPreviewTaskDefinition(ctx, base, names, tags, created));
        const targetGroup = await log.phase('Target group', () => ensureTargetGroup(ctx, base, names, tags, existing, created));
        const targetGroupArn = targetGroup.TargetGroupArn ?? '';
        route = await log.phase('Route traffic to the preview', () => names.host
            ? ensureHostRule(ctx, alb, {
                pr,
                host: names.host,
                targetGroupArn,
                tags,
                created,
                existing: existing.rules
            })
            : ensurePortListener(ctx, alb, { pr, targetGroupArn, tags, created, existing: existing.listeners }));
        await log.phase('Preview service', () => ensureService(ctx, alb, base, names, taskDefinition, targetGroupArn, tags, created));
        if (!isEmpty(existing))
            await log.phase('Refresh tags, remove stale routes', () => retagAndTidy(ctx, existing, route, targetGroupArn, tags));
    }
    catch (e) {
        if (created.size > 0 && !aws.dryRun)
            await log.phase('Undo what this run created', () => undoCreated(ctx, settings.cluster, created));
        throw quotaError(e, alb, pr) ?? (await concurrentRunError(ctx, alb, pr, existing)) ?? e;
    }
    // Only once the preview stands: an undone revision is no output. A dry run registers nothing.
    if (!aws.dryRun)
        outputs.set(constants/* Outputs */.tY.TaskDefinitionArn, taskDefinition.taskDefinitionArn ?? '');
    const { url, hostHeader } = previewUrl({
        input: settings.url,
        pr,
        port: route.port,
        protocol: alb.listener.Protocol,
        host: names.host,
        albDnsName: alb.loadBalancer.DNSName
    });
    outputs.set(constants/* Outputs */.tY.Url, url);
    const where = `ECS service ${names.service} in cluster ${alb.cluster}`;
    if (aws.dryRun) {
        (0,summary/* reportPlan */._S)(log, aws.mutations);
        return {
            outcome: 'planned',
            message: `Dry run: planned the preview of PR #${pr} at ${url}; nothing was changed.`
        };
    }
    const tracker = await (0,deployments/* startDeployment */.i)(ctx.github, ctx.event, names.environment, log);
    const model = commentModel(ctx, names, alb, url, where);
    try {
        await log.phase('Wait for the preview to be stable', () => waitForStable(ctx, settings.cluster, names.service, taskDefinition.taskDefinitionArn ?? ''));
        let detail = `${settings.previewDesiredCount} task(s) running`;
        // A derived name nobody can resolve (no wildcard DNS record for the preview domain yet, an
        // emulator's made-up ALB name) cannot be smoke-tested: say so rather than fail the preview.
        const unresolvable = settings.url || settings.previewDesiredCount === 0
            ? undefined
            : await (0,src_smoke/* unreachableReason */.N4)(ctx.http, `${url}${settings.healthPath}`, {
                kinds: ['dns'],
                headers: hostHeader ? { Host: hostHeader } : undefined
            });
        if (unresolvable !== undefined) {
            log.warning((0,src_smoke/* unreachableNotice */.LR)(url, unresolvable, constants/* Inputs */.G0.Url));
            detail = `${detail}; not smoke-tested (${url} does not resolve from the runner)`;
        }
        else if (settings.previewDesiredCount > 0) {
            const smoke = await log.phase('Smoke test', () => (0,src_smoke/* smokeTest */.KH)({ http: ctx.http, clock, log }, {
                url: `${url}${settings.healthPath}`,
                headers: hostHeader ? { Host: hostHeader } : undefined,
                accept: settings.healthStatus,
                timeoutSeconds: settings.healthTimeoutSeconds
            }));
            detail = `smoke test ${settings.healthPath} answered ${smoke.status}`;
        }
        else {
            log.info(`'${constants/* Inputs */.G0.PreviewDesiredCount}' is 0: no task runs, so there is nothing to smoke-test.`);
        }
        await log.phase('Deregister old preview revisions', () => deregisterOld(ctx, existing, taskDefinition.taskDefinitionArn ?? ''));
        await upsertPreviewComment(ctx, { ...model, status: 'deployed', detail });
        const message = `Preview of PR #${pr} is live at ${url} (${(0,containers/* imageOf */.d)(taskDefinition, base.imageContainer) ?? 'image unchanged'}, ${detail}).`;
        await tracker.finish(true, url, message);
        log.section('Preview', `| | |\n| --- | --- |\n| PR | #${pr} |\n| URL | ${url} |\n| Service | \`${names.service}\` |\n| Task definition | \`${taskDefinition.taskDefinitionArn}\` |\n| Routing | ${route.kind === 'host' ? `host ${route.host} (rule priority ${route.priority})` : `listener port ${route.port}`} |`);
        return { outcome: 'deployed', message };
    }
    catch (e) {
        const rollback = await rollBackPreview(ctx, names.service, taskDefinition.taskDefinitionArn ?? '', e);
        const failure = rollback === undefined ? e : withOutcome(e, rollback);
        // The rollback first: the comment shortens a long failure.
        const detail = rollback === undefined ? (0,errors/* errorMessage */.gJ)(e) : `${rollback}. ${(0,errors/* errorMessage */.gJ)(e)}`;
        await upsertPreviewComment(ctx, { ...model, status: 'failed', detail });
        await tracker.finish(false, url, (0,errors/* errorMessage */.gJ)(failure));
        throw failure;
    }
}
/**
 * A fresh preview whose creation failed while, after this run's undo, resources of the PR exist: another
 * run of the same PR (`opened` and `labeled` fire together) created them at the same moment.
 */
async function concurrentRunError(ctx, alb, pr, existing) {
    if (ctx.aws.dryRun || !isEmpty(existing))
        return undefined;
    // A failing look is no reason to hide the original failure.
    const now = await findPreviews(ctx, alb, pr).then(found => found.get(pr), () => undefined);
    if (!now || isEmpty(now))
        return undefined;
    return new errors/* DeployError */.sH(`Another run created the preview of PR #${pr} at the same moment as this one; this run undid what it had created and stopped, and the other run's preview stands.`, `give the workflow one concurrency group per pull request, e.g. 'concurrency: preview-\${{ github.event.pull_request.number }}', so runs of a PR queue instead of racing; re-run this job to update the preview.`);
}
/** The failure, with what happened to the preview after it appended; the fix stays the failure's. */
function withOutcome(e, outcome) {
    const message = `${(0,errors/* errorMessage */.gJ)(e)}; ${outcome}`;
    if (e instanceof errors/* DeployError */.sH)
        return new errors/* DeployError */.sH(message, e.hint, { cause: e });
    // Keeps the AWS error's name: run() explains AccessDenied and the like by it.
    return Object.assign(new Error(message, { cause: e }), { name: e?.name ?? 'Error' });
}
function describeExisting(r, names) {
    if (r.services.length + r.targetGroups.length + r.rules.length + r.listeners.length === 0)
        return `No preview of PR #${names.pr} yet: creating ${names.service}.`;
    const parts = [
        r.services.length ? `service ${r.services.map(s => `${s.serviceName} (${s.status})`).join(', ')}` : '',
        r.targetGroups.length ? `target group ${r.targetGroups.map(t => t.TargetGroupName).join(', ')}` : '',
        r.rules.length ? `rule ${r.rules.map(x => x.Priority).join(', ')}` : '',
        r.listeners.length ? `listener :${r.listeners.map(l => l.Port).join(', :')}` : ''
    ].filter(Boolean);
    return `Existing preview of PR #${names.pr}: ${parts.join('; ')}. Updating it in place.`;
}
function commentModel(ctx, names, alb, url, where) {
    const pr = ctx.event.pullRequest;
    return {
        marker: commentMarker(alb.baseKey),
        pr: names.pr,
        status: 'deployed',
        url,
        sha: pr?.headSha || ctx.event.sha || undefined,
        branch: pr?.headRef || undefined,
        title: pr?.title || undefined,
        at: ctx.clock.now(),
        where
    };
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/remove.ts




const GONE = {
    rule: ['RuleNotFound'],
    listener: ['ListenerNotFound'],
    service: ['ServiceNotFound', 'ServiceNotActive'],
    targetGroup: ['TargetGroupNotFound'],
    taskDefinition: ['TaskDefinitionNotFound', 'RevisionNotFound']
};
/** What was removed, one line each (for the log and the sweep's summary). */
async function removePreview(ctx, cluster, r) {
    const { aws, log } = ctx;
    const removed = [];
    await log.phase(`Remove routing of PR #${r.pr}`, async () => {
        for (const rule of r.rules) {
            await ignoreGone(GONE.rule, () => (0,elbv2/* deleteRule */.k3)(aws, rule.RuleArn ?? ''));
            removed.push(`rule ${rule.Priority} (${(0,rules/* hostOf */.w4)(rule) ?? rule.RuleArn})`);
        }
        for (const listener of r.listeners) {
            await ignoreGone(GONE.listener, () => (0,elbv2/* deleteListener */.MA)(aws, listener.ListenerArn ?? ''));
            removed.push(`listener :${listener.Port}`);
        }
    });
    await log.phase(`Remove service of PR #${r.pr}`, async () => {
        for (const s of r.services) {
            const name = s.serviceName ?? s.serviceArn ?? '';
            if (s.status === 'ACTIVE') {
                await scaleToZero(ctx, cluster, name, s);
                await ignoreGone(GONE.service, () => (0,ecs/* deleteService */.hs)(aws, cluster, name));
                removed.push(`service ${name}`);
            }
            else {
                log.info(`Service ${name} is already ${s.status}: ECS is removing it.`);
            }
        }
    });
    await log.phase(`Remove target group of PR #${r.pr}`, async () => {
        for (const tg of r.targetGroups) {
            await removeTargetGroup(ctx, tg.TargetGroupArn ?? '', tg.TargetGroupName ?? '');
            removed.push(`target group ${tg.TargetGroupName}`);
        }
    });
    if (r.taskDefinitionArns.length > 0)
        await log.phase(`Deregister task definitions of PR #${r.pr}`, async () => {
            for (const arn of r.taskDefinitionArns) {
                await ignoreGone(GONE.taskDefinition, () => (0,ecs/* deregisterTaskDefinition */.T2)(aws, arn));
            }
            removed.push(`${r.taskDefinitionArns.length} task definition revision(s)`);
        });
    return removed;
}
/**
 * Scaling to zero first stops the tasks promptly. ECS may refuse it once the target group has lost its
 * rule or listener ("does not have an associated load balancer"): the forced delete then stops them.
 */
async function scaleToZero(ctx, cluster, name, s) {
    try {
        await ignoreGone(GONE.service, () => (0,ecs/* updateService */.bU)(ctx.aws, { cluster, service: name, desiredCount: 0 }, { ...s, desiredCount: 0 }));
    }
    catch (e) {
        if (!(0,errors/* hasErrorCode */.Ue)(e, 'InvalidParameter'))
            throw e;
        ctx.log.info(`ECS did not scale ${name} to zero first (${(0,errors/* errorMessage */.gJ)(e)}); the forced delete stops its tasks.`);
    }
}
async function removeTargetGroup(ctx, arn, name) {
    try {
        await ignoreGone(GONE.targetGroup, () => (0,elbv2/* deleteTargetGroupWhenFree */.C_)(ctx.aws, arn, () => ctx.log.change(`tg-in-use:${arn}`, `Target group ${name} is still in use; trying again`)));
    }
    catch (e) {
        if (!(0,errors/* hasErrorCode */.Ue)(e, 'ResourceInUse'))
            throw e;
        throw new errors/* DeployError */.sH(`Target group ${name} is still in use after ${elbv2/* TARGET_GROUP_IN_USE_ATTEMPTS */.t} attempts: ${(0,errors/* errorMessage */.gJ)(e)}`, `something other than this preview's rule or listener forwards to it; remove that reference and run the teardown again.`, { cause: e });
    }
}
async function ignoreGone(codes, call) {
    try {
        await call();
    }
    catch (e) {
        if (!(0,errors/* hasErrorCode */.Ue)(e, ...codes))
            throw e;
    }
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/sweep.ts
// The sweep (schedule / workflow_dispatch): every preview of this repository and base service, found by
// tags, is removed when its PR is closed (asked from GitHub) or it has been idle longer than
// `preview-ttl`; the job summary lists what was removed and what was kept, and why.









/** Pure: whether a preview goes, and why (closed PR first, then idleness). */
function decide(state, deployedAt, now, ttlSeconds) {
    if (state === 'closed')
        return { remove: true, reason: 'pull request closed' };
    if (state === 'missing')
        return { remove: true, reason: 'pull request not found' };
    const stateNote = state === 'unknown' ? 'pull request state unknown' : 'pull request open';
    if (deployedAt === undefined)
        return { remove: false, reason: `${stateNote}; no deploy time recorded` };
    const idle = Math.max(0, (now - deployedAt) / 1000);
    if (idle > ttlSeconds)
        return {
            remove: true,
            reason: `idle for ${(0,src_clock/* formatDuration */.a)(idle)} (${constants/* Inputs */.G0.PreviewTtl} ${(0,src_clock/* formatDuration */.a)(ttlSeconds)})`
        };
    return { remove: false, reason: `${stateNote}; last deployed ${(0,src_clock/* formatDuration */.a)(idle)} ago` };
}
async function sweepPreviews(ctx) {
    const { log, settings, clock, aws } = ctx;
    const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx));
    const previews = await log.phase('Find previews', () => findPreviews(ctx, alb));
    log.info(previews.size === 0
        ? `No previews of ${alb.baseKey} in ${alb.repo}.`
        : `Previews of ${alb.baseKey}: PR ${[...previews.keys()]
            .sort((a, b) => a - b)
            .map(n => `#${n}`)
            .join(', ')}`);
    if (!ctx.github)
        log.warning(`No 'github-token': pull request states are unknown, so only '${constants/* Inputs */.G0.PreviewTtl}' decides what the sweep removes.`);
    const rows = [];
    for (const r of [...previews.values()].sort((a, b) => a.pr - b.pr)) {
        const state = await pullRequestState(ctx, r.pr);
        const decision = decide(state, r.deployedAt, clock.now(), settings.previewTtlSeconds);
        if (!decision.remove) {
            rows.push({ pr: r.pr, decision, outcome: 'kept', detail: '' });
            continue;
        }
        log.info(`PR #${r.pr}: removing (${decision.reason})`);
        try {
            const removed = await removePreview(ctx, settings.cluster, r);
            if (aws.dryRun) {
                rows.push({ pr: r.pr, decision, outcome: 'planned', detail: removed.join(', ') });
                continue;
            }
            rows.push({ pr: r.pr, decision, outcome: 'removed', detail: removed.join(', ') });
            await editPreviewComment(ctx, {
                marker: commentMarker(alb.baseKey),
                pr: r.pr,
                status: 'removed',
                at: clock.now(),
                detail: decision.reason
            });
            await (0,deployments/* markEnvironmentInactive */.O)(ctx.github, `pr-${r.pr}`, log);
        }
        catch (e) {
            log.warning(`PR #${r.pr}: the preview could not be removed: ${(0,errors/* errorMessage */.gJ)(e)}`);
            rows.push({ pr: r.pr, decision, outcome: 'failed', detail: (0,errors/* errorMessage */.gJ)(e) });
        }
    }
    log.section('Preview sweep', sweepTable(rows, alb.baseKey, settings.previewTtlSeconds));
    const count = (o) => rows.filter(r => r.outcome === o).length;
    const failed = rows.filter(r => r.outcome === 'failed');
    if (failed.length > 0)
        throw new errors/* DeployError */.sH(`The sweep could not remove the preview of ${failed.map(r => `PR #${r.pr}`).join(', ')}: ${failed[0].detail}`, 'see the log above for the AWS error; the next sweep tries again.');
    const message = aws.dryRun
        ? `Dry run: the sweep would remove ${count('planned')} preview(s) and keep ${count('kept')}; nothing was changed.`
        : `Sweep: removed ${count('removed')} preview(s), kept ${count('kept')}.`;
    return { outcome: aws.dryRun ? 'planned' : 'swept', message };
}
async function pullRequestState(ctx, pr) {
    if (!ctx.github)
        return 'unknown';
    try {
        return (await ctx.github.pullRequestState(pr)) ?? 'missing';
    }
    catch (e) {
        ctx.log.warning(`Could not read the state of PR #${pr} from GitHub: ${(0,errors/* errorMessage */.gJ)(e)}`);
        return 'unknown';
    }
}
function sweepTable(rows, key, ttlSeconds) {
    if (rows.length === 0)
        return `No previews of \`${key}\` found.`;
    const icon = {
        removed: '🧹 removed',
        kept: 'kept',
        failed: '❌ failed',
        planned: 'would remove'
    };
    const lines = [
        `Previews of \`${key}\`, ${constants/* Inputs */.G0.PreviewTtl} ${(0,src_clock/* formatDuration */.a)(ttlSeconds)}:`,
        '',
        '| PR | Outcome | Why |',
        '| --- | --- | --- |',
        ...rows.map(r => `| #${r.pr} | ${icon[r.outcome]} | ${r.decision.reason.replace(/\|/g, '/')} |`)
    ];
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/teardown.ts
// Tearing a PR's preview down when the PR closes: everything tagged as its preview goes, and the PR
// comment says so. Nothing found (a second run, a PR that never had a preview) is a quiet success.







async function destroyPreview(ctx, pr) {
    const { log, settings, aws } = ctx;
    const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx));
    const found = (await log.phase(`Find the preview of PR #${pr}`, () => findPreviews(ctx, alb, pr))).get(pr);
    const comment = {
        marker: commentMarker(alb.baseKey),
        pr,
        status: 'torn-down',
        sha: ctx.event.pullRequest?.headSha || undefined,
        branch: ctx.event.pullRequest?.headRef || undefined,
        at: ctx.clock.now(),
        detail: ctx.event.pullRequest?.action === 'closed'
            ? `pull request #${pr} closed`
            : `'${constants/* Inputs */.G0.PreviewAction}: ${settings.previewAction}' on ${ctx.event.eventName || 'a manual run'}`
    };
    if (!found || isEmpty(found)) {
        log.info(`No preview of PR #${pr} exists: nothing to tear down.`);
        await editPreviewComment(ctx, comment);
        if (!aws.dryRun)
            await (0,deployments/* markEnvironmentInactive */.O)(ctx.github, `pr-${pr}`, log);
        return { outcome: 'torn-down', message: `No preview of PR #${pr} to tear down.` };
    }
    const removed = await removePreview(ctx, settings.cluster, found);
    log.section(`Preview of PR #${pr} torn down`, removed.map(r => `- ${r}`).join('\n'));
    if (aws.dryRun)
        return {
            outcome: 'planned',
            message: `Dry run: would tear down the preview of PR #${pr}; nothing was changed.`
        };
    await editPreviewComment(ctx, comment);
    // The PR's own GitHub environment (deploys record it per PR, whatever the 'environment' input says).
    await (0,deployments/* markEnvironmentInactive */.O)(ctx.github, `pr-${pr}`, log);
    return { outcome: 'torn-down', message: `Preview of PR #${pr} torn down (${removed.join(', ')}).` };
}

;// CONCATENATED MODULE: ./src/strategies/pr-preview/index.ts
// The pr-preview strategy: one isolated copy of a base ECS service per pull request on a shared ALB.
// What a run does comes from `preview-action` or the event: deploy (PR opened, pushed to, reopened,
// labeled), tear down (PR closed), or sweep (schedule / workflow_dispatch).






async function prPreview(ctx) {
    const { settings, event, log } = ctx;
    const action = selectAction(settings.previewAction, event, settings.environment);
    if (action.kind === 'skip') {
        // run() logs the result's message: said once.
        return { outcome: 'skipped', message: `Nothing to do: ${action.why}.` };
    }
    log.info(`pr-preview: ${action.kind} (${action.why})`);
    if (action.kind === 'sweep')
        return sweepPreviews(ctx);
    const pr = pullRequestNumber(event, settings.environment);
    if (pr === undefined)
        throw new errors/* DeployError */.sH(`pr-preview ${action.kind} needs a pull request, and event '${event.eventName || 'unknown'}' carries none.`, `run it on pull_request events, or set '${constants/* Inputs */.G0.Environment}' to the PR's environment, e.g. 'pr-42'.`);
    if (isForkPullRequest(event) && !settings.allowForks) {
        const fork = event.pullRequest?.headRepo ? `the fork ${event.pullRequest.headRepo}` : 'a deleted fork';
        const message = `PR #${pr} comes from ${fork}: previews of forks are refused (their code would run with this repository's AWS access). Set '${constants/* Inputs */.G0.AllowForks}: true' to allow them.`;
        log.warning(message);
        log.section('Preview skipped', message);
        return { outcome: 'skipped', message: `Preview of fork PR #${pr} skipped.` };
    }
    return action.kind === 'deploy' ? deployPreview(ctx, pr) : destroyPreview(ctx, pr);
}


/***/ })

};
