// Preview names: deterministic, within AWS's limits, distinct per base service and PR.
import { describe, expect, it } from '@jest/globals'
import {
  PRIORITY_FLOOR,
  PRIORITY_MAX,
  baseHash,
  commentMarker,
  familyPr,
  nextFreePriority,
  portCandidates,
  previewFamilyPrefix,
  previewNames,
  targetGroupName,
  targetGroupNamePattern
} from '../../src/strategies/pr-preview/naming.js'

const TG_NAME = /^(?!-)(?!.*--)[A-Za-z0-9-]{1,32}(?<!-)$/

describe('previewNames', () => {
  it('derives every name from the base service and the PR number', () => {
    const n = previewNames('main', 'web', 42, 'preview.example.com')
    expect(n).toEqual({
      pr: 42,
      environment: 'pr-42',
      baseKey: 'main/web',
      service: 'web-pr-42',
      family: 'web-pr-42',
      targetGroup: `web-pr42-${baseHash('main/web')}`,
      host: 'pr-42.preview.example.com'
    })
    expect(previewNames('main', 'web', 42)).toEqual({ ...n, host: undefined })
  })

  it('takes the names out of ARNs', () => {
    const n = previewNames(
      'arn:aws:ecs:us-east-1:123456789012:cluster/main',
      'arn:aws:ecs:us-east-1:123456789012:service/main/web',
      7
    )
    expect(n.baseKey).toBe('main/web')
    expect(n.service).toBe('web-pr-7')
  })

  it.each([
    ['a-very-long-service-name-that-goes-on-and-on', 123456],
    ['web', 1],
    ['--odd__name..with.dots--', 99],
    ['x'.repeat(300), 2147483647],
    ['_', 5]
  ])('target group name for %s / PR %d stays within 32 legal characters', (service, pr) => {
    const name = targetGroupName(`cluster/${service}`, pr)
    expect(name).toMatch(TG_NAME)
    expect(name).toContain(`pr${pr}-`)
    expect(targetGroupNamePattern(`cluster/${service}`).exec(name)?.[1]).toBe(String(pr))
  })

  it('keeps previews of same-named services in two clusters apart', () => {
    expect(targetGroupName('blue/web', 3)).not.toBe(targetGroupName('green/web', 3))
    expect(targetGroupNamePattern('blue/web').test(targetGroupName('green/web', 3))).toBe(false)
  })

  it('keeps the ECS service name within 255 characters', () => {
    const n = previewNames('c', 's'.repeat(300), 12345)
    expect(n.service.length).toBeLessThanOrEqual(255)
    expect(n.service.endsWith('-pr-12345')).toBe(true)
  })

  it('puts the base service in a comment marker that cannot close early', () => {
    expect(commentMarker('main/web')).toBe('<!-- zdt-deploy:preview:main/web -->')
    expect(commentMarker('a--b>c')).toBe('<!-- zdt-deploy:preview:a-bc -->')
  })
})

describe('familyPr', () => {
  it('reads the PR back from a preview family of this base service only', () => {
    expect(familyPr('main', 'web', 'web-pr-7')).toBe(7)
    expect(familyPr('main', 'web', 'web-api-pr-7')).toBeUndefined()
    expect(familyPr('main', 'web', 'web')).toBeUndefined()
    expect(previewFamilyPrefix('web')).toBe('web')
  })

  it('finds the families of a long base name, which the PR number shortens, under one prefix', () => {
    const long = 's'.repeat(255)
    for (const pr of [7, 123456]) {
      const { family } = previewNames('main', long, pr)
      expect(family.startsWith(previewFamilyPrefix(long))).toBe(true)
      expect(familyPr('main', long, family)).toBe(pr)
    }
  })
})

describe('portCandidates', () => {
  const range = { from: 8000, to: 8009 }

  it('starts at from + PR mod size', () => {
    expect(portCandidates(3, range, new Set())[0]).toBe(8003)
    expect(portCandidates(13, range, new Set())[0]).toBe(8003)
    expect(portCandidates(10, range, new Set())[0]).toBe(8000)
  })

  it('skips taken ports, wrapping around the range', () => {
    expect(portCandidates(8, range, new Set([8008, 8009]))).toEqual([
      8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007
    ])
  })

  it('is empty when every port is taken', () => {
    const all = new Set(Array.from({ length: 10 }, (_, i) => 8000 + i))
    expect(portCandidates(1, range, all)).toEqual([])
  })
})

describe('nextFreePriority', () => {
  it('starts at the floor plus the PR number and skips taken ones', () => {
    expect(nextFreePriority(5, new Set())).toBe(PRIORITY_FLOOR + 5)
    expect(nextFreePriority(5, new Set([PRIORITY_FLOOR + 5, PRIORITY_FLOOR + 6]))).toBe(PRIORITY_FLOOR + 7)
  })

  it('stays within the preview band', () => {
    const p = nextFreePriority(PRIORITY_MAX * 3 + 17, new Set())
    expect(p).toBeGreaterThanOrEqual(PRIORITY_FLOOR)
    expect(p).toBeLessThanOrEqual(PRIORITY_MAX)
    expect(nextFreePriority(PRIORITY_MAX - PRIORITY_FLOOR, new Set([PRIORITY_MAX]))).toBe(PRIORITY_FLOOR)
  })
})
