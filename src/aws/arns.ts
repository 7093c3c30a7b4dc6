// Names read from ARNs: the last part of a resource ARN, a task definition's `family:revision`.

/** The part after the last `/` of an ARN (`web-pr-7`, `web:42`), or the name itself. */
export function shortName(nameOrArn: string): string {
  return nameOrArn.split('/').pop() ?? nameOrArn
}

/** The revision part of a task definition ARN, `web:42`; `?` when there is none. */
export function revisionName(taskDefinitionArn: string | undefined): string {
  return taskDefinitionArn ? shortName(taskDefinitionArn) : '?'
}

/** The family of a task definition ARN or `family:revision`: `web` of `.../task-definition/web:42`. */
export function familyOf(taskDefinition: string): string {
  return revisionName(taskDefinition).replace(/:\d+$/, '')
}
