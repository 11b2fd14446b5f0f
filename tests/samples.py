"""A small journey written out by hand, for tests that need exact ids."""

SMALL = """\
format_version: 1
id: small
title: Small journey
personas: [alex]
stages:
  - id: awareness
    name: Awareness
  - id: decision
    name: Decision
    steps:
      - id: cart
        name: Cart
      - id: delivery
        name: Delivery
sections:
  - id: persona
    name: Persona
    lanes:
      - id: actions
        name: Actions
        kind: text
      - id: touchpoints
        name: Touchpoints
        kind: touchpoints
      - id: pains
        name: Pain points
        kind: pain_points
  - id: business
    name: Business
    lanes:
      - id: ideas
        name: Opportunities
        kind: opportunities
cards:
  - id: sees-ad
    kind: note
    stage: awareness
    lane: actions
    text: Sees an ad
  - id: ad
    kind: touchpoint
    stage: awareness
    lane: touchpoints
    text: Social ad
    channel: social
  - id: fee
    kind: pain_point
    stage: decision
    step: delivery
    lane: pains
    text: Shipping fee appears late
    severity: 5
  - id: fee-upfront
    kind: opportunity
    stage: decision
    step: delivery
    lane: ideas
    text: Show the fee in the cart
    pain_points: [fee]
emotions:
  - id: feel-awareness
    stage: awareness
    score: 1.0
  - id: feel-delivery
    stage: decision
    step: delivery
    score: -1.5
    note: Tricked
"""
