export const id = 248;
export const ids = [248];
export const modules = {

/***/ 9248:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createGitHubApi: () => (/* binding */ createGitHubApi)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
// Every GitHub API call lives here, through @actions/github's Octokit (GITHUB_API_URL honoured).

/** `baseUrl` defaults to GITHUB_API_URL (read by @actions/github); in-process tests pass their server's. */
function createGitHubApi(token, repository, baseUrl) {
    const [owner, repo] = repository.split('/');
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, baseUrl ? { baseUrl } : {});
    return new OctokitGitHubApi(octokit, owner, repo);
}
/**
 * The login the token writes comments as. A PAT, an OAuth token or a GitHub App user token answers
 * GET /user. An installation token (the workflow's GITHUB_TOKEN, or another app's, e.g. from
 * actions/create-github-app-token) gets 403 "Resource not accessible by integration" there, and GET /app
 * takes only the app's JWT; GraphQL's `viewer` answers for it with the app's bot user
 * (`github-actions[bot]` for GITHUB_TOKEN), the `user.login` of the comments it writes. Nothing is
 * assumed: when neither answers, the error stands and no comment is taken as ours.
 */
async function tokenLogin(octokit) {
    try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
    }
    catch (e) {
        if (e.status !== 403)
            throw e;
    }
    const { viewer } = await octokit.graphql('query { viewer { login } }');
    // An installation token always acts as its app's bot user, whose REST login ends in `[bot]`.
    return viewer.login.endsWith('[bot]') ? viewer.login : `${viewer.login}[bot]`;
}
class OctokitGitHubApi {
    octokit;
    owner;
    repo;
    login;
    constructor(octokit, owner, repo) {
        this.octokit = octokit;
        this.owner = owner;
        this.repo = repo;
    }
    async findComment(prNumber, marker) {
        const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
            owner: this.owner,
            repo: this.repo,
            issue_number: prNumber,
            per_page: 100
        });
        const marked = comments.filter(c => (c.body ?? '').includes(marker));
        if (marked.length === 0)
            return undefined;
        // Looked up once, and only when a comment carries the marker. Logins are case-insensitive.
        const ours = (await (this.login ??= tokenLogin(this.octokit))).toLowerCase();
        const found = marked.find(c => c.user?.login.toLowerCase() === ours);
        return found ? { id: found.id, body: found.body ?? '' } : undefined;
    }
    async upsertComment(prNumber, marker, body) {
        const existing = await this.findComment(prNumber, marker);
        if (existing) {
            await this.updateComment(existing.id, body);
            return existing.id;
        }
        const { data } = await this.octokit.rest.issues.createComment({
            owner: this.owner,
            repo: this.repo,
            issue_number: prNumber,
            body
        });
        return data.id;
    }
    async updateComment(commentId, body) {
        await this.octokit.rest.issues.updateComment({
            owner: this.owner,
            repo: this.repo,
            comment_id: commentId,
            body
        });
    }
    async pullRequestState(prNumber) {
        try {
            const { data } = await this.octokit.rest.pulls.get({
                owner: this.owner,
                repo: this.repo,
                pull_number: prNumber
            });
            return data.state === 'open' ? 'open' : 'closed';
        }
        catch (e) {
            if (e.status === 404)
                return undefined;
            throw e;
        }
    }
    async createDeployment(params) {
        const { data } = await this.octokit.rest.repos.createDeployment({
            owner: this.owner,
            repo: this.repo,
            ref: params.ref,
            environment: params.environment,
            description: params.description,
            transient_environment: params.transient,
            production_environment: params.production,
            auto_merge: false,
            required_contexts: []
        });
        if (!('id' in data))
            throw new Error(`GitHub did not create the deployment: ${data.message ?? 'no reason given'}`);
        return data.id;
    }
    async createDeploymentStatus(deploymentId, state, params) {
        await this.octokit.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: deploymentId,
            state,
            environment_url: params.environmentUrl,
            log_url: params.logUrl,
            description: params.description?.slice(0, 140)
        });
    }
    async listDeployments(environment) {
        const { data } = await this.octokit.rest.repos.listDeployments({
            owner: this.owner,
            repo: this.repo,
            environment,
            per_page: 100
        });
        return data.map(d => d.id);
    }
}


/***/ })

};
