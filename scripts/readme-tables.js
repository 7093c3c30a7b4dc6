// Generates the inputs and outputs tables of README.md from action.yml (`npm run docs`);
// __tests__/unit/readme.test.ts fails when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

const BEGIN = '<!-- inputs:begin (generated from action.yml by `npm run docs`) -->'
const END = '<!-- inputs:end -->'

const cell = text => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ').trim()

export function renderTables(actionYml) {
  const action = parse(actionYml)
  const rows = ['| input | default | description |', '| --- | --- | --- |']
  for (const [name, spec] of Object.entries(action.inputs)) {
    const def = spec.required ? '**required**' : spec.default ? `\`${cell(spec.default)}\`` : ''
    rows.push(`| \`${name}\` | ${def} | ${cell(spec.description)} |`)
  }
  rows.push('', '| output | description |', '| --- | --- |')
  for (const [name, spec] of Object.entries(action.outputs))
    rows.push(`| \`${name}\` | ${cell(spec.description)} |`)
  return rows.join('\n')
}

export function updateReadme(readme, actionYml) {
  const start = readme.indexOf(BEGIN)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${BEGIN} ... ${END} markers`)
  // prettier would re-pad the tables and make them differ from what is generated.
  return `${readme.slice(0, start + BEGIN.length)}\n<!-- prettier-ignore-start -->\n${renderTables(actionYml)}\n<!-- prettier-ignore-end -->\n${readme.slice(end)}`
}

if (process.argv[1] && import.meta.url === new URL(process.argv[1], 'file://').href) {
  const readme = readFileSync('README.md', 'utf8')
  writeFileSync('README.md', updateReadme(readme, readFileSync('action.yml', 'utf8')))
}
