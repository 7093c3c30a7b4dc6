export const id = 756;
export const ids = [756];
export const modules = {

/***/ 1000:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BD: () => (/* binding */ describeAccountLimits),
/* harmony export */   CS: () => (/* binding */ listTargetGroups),
/* harmony export */   C_: () => (/* binding */ deleteTargetGroupWhenFree),
/* harmony export */   Cx: () => (/* binding */ listenerUrl),
/* harmony export */   FE: () => (/* binding */ describeTags),
/* harmony export */   JE: () => (/* binding */ addTags),
/* harmony export */   KV: () => (/* binding */ targetHealthCounts),
/* harmony export */   MA: () => (/* binding */ deleteListener),
/* harmony export */   NH: () => (/* binding */ describeRules),
/* harmony export */   Pd: () => (/* binding */ describeListeners),
/* harmony export */   ZF: () => (/* binding */ deregistrationDelaySeconds),
/* harmony export */   __: () => (/* binding */ describeTargetGroup),
/* harmony export */   _k: () => (/* binding */ modifyTargetGroupAttributes),
/* harmony export */   fw: () => (/* binding */ describeTargetHealth),
/* harmony export */   gx: () => (/* binding */ describeListener),
/* harmony export */   k3: () => (/* binding */ deleteRule),
/* harmony export */   kZ: () => (/* binding */ createForwardRule),
/* harmony export */   mD: () => (/* binding */ describeLoadBalancer),
/* harmony export */   t: () => (/* binding */ TARGET_GROUP_IN_USE_ATTEMPTS),
/* harmony export */   ub: () => (/* binding */ createForwardListener),
/* harmony export */   vE: () => (/* binding */ createTargetGroup)
/* harmony export */ });
/* unused harmony exports targetGroupAttributes, deleteTargetGroup */
/* harmony import */ var _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(586);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9580);
// The thin layer over Elastic Load Balancing v2: target groups, target health, listeners, rules.
// Shared by every strategy; add functions, keep each one a single AWS operation (plus paging).



async function describeTargetGroup(aws, arn) {
    const out = await aws.read('elasticloadbalancing:DescribeTargetGroups', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })));
    const tg = out.TargetGroups?.[0];
    if (!tg)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`Target group ${arn} was not found.`, 'check the target group ARN and the region.');
    return tg;
}
/** Target group attributes as a map (`deregistration_delay.timeout_seconds`, ...). */
async function targetGroupAttributes(aws, arn) {
    const out = await aws.read('elasticloadbalancing:DescribeTargetGroupAttributes', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })));
    return Object.fromEntries((out.Attributes ?? []).map(a => [a.Key ?? '', a.Value ?? '']));
}
/** Seconds a deregistered target keeps draining; AWS's default is 300. */
async function deregistrationDelaySeconds(aws, arn) {
    const value = (await targetGroupAttributes(aws, arn))['deregistration_delay.timeout_seconds'];
    return value === undefined || value === '' ? 300 : Number(value);
}
async function describeTargetHealth(aws, arn) {
    const out = await aws.read('elasticloadbalancing:DescribeTargetHealth', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeTargetHealthCommand({ TargetGroupArn: arn })));
    return out.TargetHealthDescriptions ?? [];
}
/** `healthy 2, initial 1, draining 2`: how target health is logged (one line per change). */
function targetHealthCounts(targets) {
    const counts = new Map();
    for (const t of targets) {
        const state = t.TargetHealth?.State ?? 'unknown';
        counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    if (counts.size === 0)
        return 'no targets';
    return [...counts.entries()].map(([state, n]) => `${state} ${n}`).join(', ');
}
async function describeLoadBalancer(aws, arn) {
    const out = await aws.read('elasticloadbalancing:DescribeLoadBalancers', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })));
    const lb = out.LoadBalancers?.[0];
    if (!lb)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`Load balancer ${arn} was not found.`, 'check the ARN and the region.');
    return lb;
}
async function describeListener(aws, arn) {
    const out = await aws.read('elasticloadbalancing:DescribeListeners', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeListenersCommand({ ListenerArns: [arn] })));
    const listener = out.Listeners?.[0];
    if (!listener)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`Listener ${arn} was not found.`, 'check the listener ARN and the region.');
    return listener;
}
async function describeListeners(aws, loadBalancerArn) {
    const listeners = [];
    let marker;
    do {
        const out = await aws.read('elasticloadbalancing:DescribeListeners', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker })));
        listeners.push(...(out.Listeners ?? []));
        marker = out.NextMarker;
    } while (marker);
    return listeners;
}
async function describeRules(aws, listenerArn) {
    const rules = [];
    let marker;
    do {
        const out = await aws.read('elasticloadbalancing:DescribeRules', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker })));
        rules.push(...(out.Rules ?? []));
        marker = out.NextMarker;
    } while (marker);
    return rules;
}
/** Tags of up to 20 ELB resources (the API's limit per call), by ARN. */
async function describeTags(aws, arns) {
    const result = new Map();
    for (let i = 0; i < arns.length; i += 20) {
        const batch = arns.slice(i, i + 20);
        const out = await aws.read('elasticloadbalancing:DescribeTags', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeTagsCommand({ ResourceArns: batch })));
        for (const d of out.TagDescriptions ?? []) {
            result.set(d.ResourceArn ?? '', Object.fromEntries((d.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? ''])));
        }
    }
    return result;
}
/** The URL of a load balancer's listener: how `url` is derived when the input is empty. */
function listenerUrl(lb, listener) {
    const scheme = listener.Protocol === 'HTTPS' ? 'https' : 'http';
    const port = listener.Port;
    const defaultPort = scheme === 'https' ? 443 : 80;
    return `${scheme}://${lb.DNSName}${port && port !== defaultPort ? `:${port}` : ''}`;
}
/**
 * A listener rule forwarding requests that match `conditions` to one target group, tagged.
 * Fails with PriorityInUse when another rule took `priority` meanwhile: callers pick another.
 */
async function createForwardRule(aws, params) {
    const input = {
        ListenerArn: params.listenerArn,
        Priority: params.priority,
        Conditions: params.conditions,
        Actions: [{ Type: 'forward', TargetGroupArn: params.targetGroupArn }],
        Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .toElbTags */ .KE)(params.tags)
    };
    const out = await aws.write('elasticloadbalancing:CreateRule', {
        ListenerArn: params.listenerArn,
        Priority: params.priority,
        Conditions: params.conditions,
        TargetGroupArn: params.targetGroupArn
    }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.CreateRuleCommand(input)), { $metadata: {}, Rules: [{ Priority: String(params.priority), Conditions: params.conditions }] });
    return out.Rules?.[0] ?? {};
}
/** Sets target group attributes (`deregistration_delay.timeout_seconds`, ...). */
async function modifyTargetGroupAttributes(aws, arn, attributes) {
    const Attributes = Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
    await aws.write('elasticloadbalancing:ModifyTargetGroupAttributes', { TargetGroupArn: arn, Attributes: attributes }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes })), undefined);
}
/** Every target group of the region, or of one load balancer when `loadBalancerArn` is given. */
async function listTargetGroups(aws, loadBalancerArn) {
    const groups = [];
    let marker;
    do {
        const out = await aws.read('elasticloadbalancing:DescribeTargetGroups', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeTargetGroupsCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker, PageSize: 400 })));
        groups.push(...(out.TargetGroups ?? []));
        marker = out.NextMarker;
    } while (marker);
    return groups;
}
/** A tagged target group; in dry-run a planned one carrying the name. */
async function createTargetGroup(aws, input, tags) {
    const full = { ...input, Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .toElbTags */ .KE)(tags) };
    const out = await aws.write('elasticloadbalancing:CreateTargetGroup', { ...input }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.CreateTargetGroupCommand(full)), {
        $metadata: {},
        TargetGroups: [
            { ...input, TargetGroupName: input.Name, TargetGroupArn: `(planned target group ${input.Name})` }
        ]
    });
    const tg = out.TargetGroups?.[0];
    if (!tg?.TargetGroupArn)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`CreateTargetGroup returned no target group for ${input.Name}.`);
    return tg;
}
async function deleteTargetGroup(aws, arn) {
    await aws.write('elasticloadbalancing:DeleteTargetGroup', { TargetGroupArn: arn }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DeleteTargetGroupCommand({ TargetGroupArn: arn })), undefined);
}
// A target group stays "in use" for a moment after the rule or listener forwarding to it is deleted.
const TARGET_GROUP_IN_USE_ATTEMPTS = 8;
const TARGET_GROUP_IN_USE_BACKOFF_MS = 2500;
/** DeleteTargetGroup, tried again while the load balancer still counts the target group in use. */
async function deleteTargetGroupWhenFree(aws, arn, onRetry) {
    await aws.retryOn(['ResourceInUse'], 'elasticloadbalancing:DeleteTargetGroup', () => deleteTargetGroup(aws, arn), {
        attempts: TARGET_GROUP_IN_USE_ATTEMPTS,
        backoffMs: TARGET_GROUP_IN_USE_BACKOFF_MS,
        onRetry
    });
}
async function deleteRule(aws, arn) {
    await aws.write('elasticloadbalancing:DeleteRule', { RuleArn: arn }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DeleteRuleCommand({ RuleArn: arn })), undefined);
}
/**
 * A listener whose default action forwards to one target group, tagged. Protocol, TLS policy and
 * certificate come from the caller (a copy of another listener's, typically).
 */
async function createForwardListener(aws, params) {
    const input = {
        LoadBalancerArn: params.loadBalancerArn,
        Port: params.port,
        Protocol: params.protocol,
        SslPolicy: params.protocol === 'HTTPS' || params.protocol === 'TLS' ? params.sslPolicy : undefined,
        Certificates: params.protocol === 'HTTPS' || params.protocol === 'TLS' ? params.certificates : undefined,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: params.targetGroupArn }],
        Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .toElbTags */ .KE)(params.tags)
    };
    const out = await aws.write('elasticloadbalancing:CreateListener', {
        LoadBalancerArn: params.loadBalancerArn,
        Port: params.port,
        Protocol: params.protocol,
        TargetGroupArn: params.targetGroupArn
    }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.CreateListenerCommand(input)), {
        $metadata: {},
        Listeners: [
            {
                ListenerArn: `(planned listener :${params.port})`,
                LoadBalancerArn: params.loadBalancerArn,
                Port: params.port,
                Protocol: params.protocol
            }
        ]
    });
    const listener = out.Listeners?.[0];
    if (!listener?.ListenerArn)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`CreateListener returned no listener for port ${params.port}.`);
    return listener;
}
async function deleteListener(aws, arn) {
    await aws.write('elasticloadbalancing:DeleteListener', { ListenerArn: arn }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DeleteListenerCommand({ ListenerArn: arn })), undefined);
}
/** Adds or overwrites tags on ELB resources (target groups, listeners, rules), 20 ARNs per call. */
async function addTags(aws, arns, tags) {
    const Tags = (0,_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .toElbTags */ .KE)(tags);
    for (let i = 0; i < arns.length; i += 20) {
        const batch = arns.slice(i, i + 20);
        await aws.write('elasticloadbalancing:AddTags', { ResourceArns: batch, Tags: tags }, () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.AddTagsCommand({ ResourceArns: batch, Tags })), undefined);
    }
}
/** The account's ELB quotas by name (`rules-per-application-load-balancer`: 100, ...). */
async function describeAccountLimits(aws) {
    const limits = {};
    let marker;
    do {
        const out = await aws.read('elasticloadbalancing:DescribeAccountLimits', () => aws.clients.elbv2.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_2__.DescribeAccountLimitsCommand({ Marker: marker })));
        for (const l of out.Limits ?? [])
            if (l.Name && l.Max)
                limits[l.Name] = Number(l.Max);
        marker = out.NextMarker;
    } while (marker);
    return limits;
}


/***/ }),

/***/ 2922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ao: () => (/* binding */ ruleHosts),
/* harmony export */   SX: () => (/* binding */ forwardsTo),
/* harmony export */   T7: () => (/* binding */ headerCondition),
/* harmony export */   Vv: () => (/* binding */ matchesHeader),
/* harmony export */   iO: () => (/* binding */ forwardTargets),
/* harmony export */   oF: () => (/* binding */ hostCondition),
/* harmony export */   w4: () => (/* binding */ hostOf)
/* harmony export */ });
/** Whether these actions (a listener's DefaultActions, a rule's Actions) forward to the target group. */
function forwardsTo(actions, targetGroupArn) {
    return (actions ?? []).some(a => a.Type === 'forward' &&
        (a.TargetGroupArn === targetGroupArn ||
            (a.ForwardConfig?.TargetGroups ?? []).some(t => t.TargetGroupArn === targetGroupArn)));
}
/** Target groups the actions forward to; a weighted target of weight 0 gets no request, so it is left out. */
function forwardTargets(actions) {
    const targets = new Set();
    for (const a of actions ?? []) {
        if (a.Type !== 'forward')
            continue;
        if (a.TargetGroupArn)
            targets.add(a.TargetGroupArn);
        for (const t of a.ForwardConfig?.TargetGroups ?? [])
            if (t.TargetGroupArn && (t.Weight === undefined || t.Weight > 0))
                targets.add(t.TargetGroupArn);
    }
    return [...targets];
}
/** The host names of a rule's host-header conditions (the config form, else the older `Values`). */
function ruleHosts(rule) {
    return (rule.Conditions ?? []).flatMap(c => c.Field === 'host-header' ? (c.HostHeaderConfig?.Values ?? c.Values ?? []) : []);
}
/** The first host of a rule's first host-header condition. */
function hostOf(rule) {
    const c = rule.Conditions?.find(x => x.Field === 'host-header');
    return c?.HostHeaderConfig?.Values?.[0] ?? c?.Values?.[0];
}
function hostCondition(host) {
    return { Field: 'host-header', HostHeaderConfig: { Values: [host] } };
}
function headerCondition(header) {
    return { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: header.name, Values: [header.value] } };
}
/** A rule matching requests that carry the header (ALB compares header names and values case-insensitively). */
function matchesHeader(rule, header) {
    return (rule.Conditions ?? []).some(c => c.Field === 'http-header' &&
        c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === header.name.toLowerCase() &&
        (c.HttpHeaderConfig?.Values ?? []).some(v => v.toLowerCase() === header.value.toLowerCase()));
}


/***/ }),

/***/ 9580:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KE: () => (/* binding */ toElbTags),
/* harmony export */   L8: () => (/* binding */ managedTags),
/* harmony export */   Pc: () => (/* binding */ fromEcsTags),
/* harmony export */   aA: () => (/* binding */ toEcsTags)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
// Tags are how a re-run, a teardown and a sweep find what is theirs: every resource the action
// creates carries zdt:managed-by and zdt:repo, written in the form each service takes.

/** zdt:managed-by, and zdt:repo when the repository is known. */
function managedTags(repository) {
    const tags = { [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Tags */ .YD.ManagedBy]: _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .MANAGED_BY_VALUE */ .Q9 };
    if (repository)
        tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Tags */ .YD.Repo] = repository;
    return tags;
}
const toEcsTags = (tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));
const toElbTags = (tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const fromEcsTags = (tags) => Object.fromEntries((tags ?? []).map(t => [t.key ?? '', t.value ?? '']));


/***/ }),

/***/ 9810:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ pollUntil)
/* harmony export */ });
/** Looks until done (or failed, or timed out); `look` gets the number of the look, from 1. */
async function pollUntil(deps, opts, look) {
    const { clock, log } = deps;
    const started = clock.now();
    const deadline = started + opts.timeoutMs;
    let n = 0;
    for (;;) {
        const last = await look(++n);
        if (last.status !== undefined && log.change(opts.key, opts.line?.(last.status) ?? last.status))
            opts.onChange?.(last);
        if (last.failure)
            throw last.failure;
        if (last.done)
            return { done: true, last, waitedMs: clock.now() - started, looks: n };
        const now = clock.now();
        const outOfTime = opts.deadline === 'clip' ? now >= deadline : now + opts.intervalMs > deadline;
        if (outOfTime) {
            const error = await opts.timedOut?.(last, n);
            if (error)
                throw error;
            return { done: false, last, waitedMs: now - started, looks: n };
        }
        await opts.tick?.();
        await clock.sleep(opts.deadline === 'clip' ? Math.min(opts.intervalMs, deadline - now) : opts.intervalMs);
    }
}


/***/ }),

/***/ 2754:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KH: () => (/* binding */ smokeTest),
/* harmony export */   LR: () => (/* binding */ unreachableNotice),
/* harmony export */   N4: () => (/* binding */ unreachableReason),
/* harmony export */   pb: () => (/* binding */ runSmokeTest)
/* harmony export */ });
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9373);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6803);
/* harmony import */ var _poll_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9810);
/* harmony import */ var _parse_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2828);






async function smokeTest(deps, opts) {
    const { http, clock, log } = deps;
    const started = clock.now();
    const via = opts.headers && Object.keys(opts.headers).length > 0
        ? ` with ${Object.entries(opts.headers)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`
        : '';
    log.info(`Smoke test: GET ${opts.url}${via}, accepting ${opts.accept.text}, for up to ${(0,_clock_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(opts.timeoutSeconds)}`);
    const { last, looks } = await (0,_poll_js__WEBPACK_IMPORTED_MODULE_5__/* .pollUntil */ .g)(deps, {
        key: `smoke:${opts.url}`,
        line: answer => `Smoke test: ${opts.url} answered ${answer}`,
        timeoutMs: opts.timeoutSeconds * 1000,
        intervalMs: (opts.intervalSeconds ?? 2) * 1000,
        deadline: 'whole',
        timedOut: ({ result }, attempts) => smokeFailure(opts, result, attempts)
    }, async () => {
        const result = await http({
            url: opts.url,
            headers: opts.headers,
            timeoutMs: opts.requestTimeoutMs ?? 5000
        });
        const accepted = result.status !== undefined && (0,_parse_js__WEBPACK_IMPORTED_MODULE_4__/* .statusAccepted */ .Kt)(opts.accept, result.status);
        return { done: accepted, status: accepted ? undefined : (0,_http_js__WEBPACK_IMPORTED_MODULE_3__/* .describeResult */ .d)(result), result };
    });
    const seconds = (clock.now() - started) / 1000;
    const status = last.result.status ?? 0;
    log.info(`Smoke test passed: ${status} after ${looks} attempt(s), ${(0,_clock_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(seconds)}`);
    return { attempts: looks, status, seconds };
}
/** The smoke test after a rollout, on `url` + `health-path`; skipped, saying so, without a URL. */
async function runSmokeTest(ctx, url) {
    const { settings, log } = ctx;
    if (!url) {
        // No input, and no derived URL the runner can reach (the pre-flight said which).
        log.info(`Smoke test skipped: no URL the runner can reach (set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.Url}' to have one).`);
        return;
    }
    await smokeTest(ctx, {
        url: `${url}${settings.healthPath}`,
        accept: settings.healthStatus,
        timeoutSeconds: settings.healthTimeoutSeconds
    });
}
// A URL derived from the load balancer may not be reachable from the runner at all (an internal
// ALB, a private hosted zone, an emulator's made-up DNS name). Checked once before anything
// changes, so an unreachable address is not mistaken for a failed deploy.
/**
 * Undefined when `url` answers with any HTTP status (or fails in a way not listed in `kinds`);
 * otherwise why it could not be reached.
 */
async function unreachableReason(http, url, options = {}) {
    const r = await http({ url, headers: options.headers, timeoutMs: 5000 });
    if (r.status !== undefined)
        return undefined;
    if (options.kinds && !options.kinds.includes(r.error ?? 'other'))
        return undefined;
    return `${r.error ?? 'error'}${r.errorMessage ? `: ${r.errorMessage}` : ''}`;
}
function unreachableNotice(url, reason, inputName) {
    return `${url} is not reachable from the runner (${reason}), so the smoke test and the traffic probe are skipped and the deploy relies on the load balancer's target health. Set '${inputName}' to an address the runner can reach to have them.`;
}
function smokeFailure(opts, last, attempts) {
    const what = `Smoke test failed: GET ${opts.url} answered ${(0,_http_js__WEBPACK_IMPORTED_MODULE_3__/* .describeResult */ .d)(last)} (expected ${opts.accept.text}) after ${attempts} attempt(s) in ${(0,_clock_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(opts.timeoutSeconds)}`;
    if (last.status !== undefined && last.status >= 300 && last.status < 400) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DeployError */ .sH(what, `the health path redirects (the classic 302 from an app that sends / to a login page): point 'health-path' at an endpoint that answers ${opts.accept.text} without a redirect, or add ${last.status} to 'health-status'.`);
    }
    if (last.status === 502 || last.status === 503 || last.status === 504) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DeployError */ .sH(what, 'the load balancer has no healthy target to send the request to: check the target group health (security groups, health-check path and port) and the application logs.');
    }
    if (last.error === 'dns' || last.error === 'refused' || last.error === 'timeout') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DeployError */ .sH(what, `the URL could not be reached from the runner (${last.error}): set 'url' to an address the runner can reach, or check DNS and security groups.`);
    }
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DeployError */ .sH(what, `the new version answers ${(0,_http_js__WEBPACK_IMPORTED_MODULE_3__/* .describeResult */ .d)(last)} on '${opts.url}': check the application logs, or adjust 'health-path' / 'health-status' if that answer is expected.`);
}


/***/ })

};
