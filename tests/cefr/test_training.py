"""Training helpers: class weights, soft targets, the ordinal loss, length-grouped batches, checkpoint averaging."""

import pytest

torch = pytest.importorskip("torch")
training = pytest.importorskip("apps.cefr.training")

LEVELS_SEEN = ["A1"] * 2 + ["A2"] * 10 + ["B1"] * 40 + ["B2"] * 40 + ["C1"] * 20 + ["C2"] * 4


def test_class_weights_average_one_per_row_and_favour_rare_levels():
    weights = training.class_weights(LEVELS_SEEN, 0.5)
    per_row = [weights[training.LEVEL_INDEX[level]].item() for level in LEVELS_SEEN]
    assert sum(per_row) / len(per_row) == pytest.approx(1.0)
    assert weights[0] > weights[5] > weights[1] > weights[4] > weights[2] == pytest.approx(weights[3].item())


def test_rare_only_weights_leave_frequent_levels_equal():
    weights = training.class_weights(LEVELS_SEEN, 0.75, rare_only=True)
    # B1, B2 and C1 are more frequent than 1/6 of the rows: all floored to the same weight.
    assert weights[2] == pytest.approx(weights[3].item()) == pytest.approx(weights[4].item())
    assert weights[0] > weights[5] > weights[1] > weights[2]


def test_soft_targets_move_mass_to_the_level_below():
    targets = training.soft_targets(torch.tensor([0, 2]), 0.2)
    assert targets.sum(dim=1).tolist() == pytest.approx([1.0, 1.0])
    assert targets[0].tolist() == pytest.approx([1, 0, 0, 0, 0, 0])  # A1 has no level below
    assert targets[1].tolist() == pytest.approx([0, 0.2, 0.8, 0, 0, 0])


def test_ordinal_loss_punishes_far_misses_more():
    config = training.TrainConfig(ordinal_weight=0.5)
    weights = torch.ones(6)
    label = torch.tensor([1])

    def loss_for(predicted: int) -> float:
        logits = torch.full((1, 6), -10.0)
        logits[0, predicted] = 10.0
        return training.cefr_loss(logits, label, weights, config).item()

    assert loss_for(1) < 0.01
    assert loss_for(2) < loss_for(4)
    plain = training.TrainConfig(ordinal_weight=0.0)
    logits = torch.zeros((1, 6))
    assert training.cefr_loss(logits, label, weights, plain).item() == pytest.approx(torch.log(torch.tensor(6.0)))


def test_length_grouped_batches_cover_each_row_once_and_are_reproducible():
    lengths = [(i * 7) % 23 + 3 for i in range(200)]
    first = training.length_grouped_batches(lengths, 16, torch.Generator().manual_seed(0))
    again = training.length_grouped_batches(lengths, 16, torch.Generator().manual_seed(0))
    other = training.length_grouped_batches(lengths, 16, torch.Generator().manual_seed(1))
    assert first == again != other
    assert sorted(i for batch in first for i in batch) == list(range(200))
    assert all(1 <= len(batch) <= 16 for batch in first)


def test_average_states_means_floats_and_keeps_integers():
    a = {"w": torch.tensor([1.0, 3.0]), "ids": torch.tensor([0, 1])}
    b = {"w": torch.tensor([3.0, 5.0]), "ids": torch.tensor([0, 1])}
    averaged = training.average_states([a, b])
    assert averaged["w"].tolist() == [2.0, 4.0]
    assert averaged["ids"].dtype == torch.long


def test_pair_targets_split_mass_only_where_the_annotators_differ():
    high = torch.tensor([2, 3, 0])
    low = torch.tensor([1, 3, 0])
    targets = training.pair_targets(high, low, 0.25)
    assert targets[0].tolist() == pytest.approx([0, 0.25, 0.75, 0, 0, 0])
    assert targets[1].tolist() == pytest.approx([0, 0, 0, 1, 0, 0])
    assert targets[2].tolist() == pytest.approx([1, 0, 0, 0, 0, 0])


def test_loss_with_the_pair_prefers_mass_on_the_lower_annotator():
    config = training.TrainConfig(pair_mass=0.3, ordinal_weight=0.5)
    high, low, weights = torch.tensor([3]), torch.tensor([2]), torch.ones(6)
    only_high = torch.full((1, 6), -10.0)
    only_high[0, 3] = 10.0
    split = torch.full((1, 6), -10.0)
    split[0, 3], split[0, 2] = 1.0, 0.15  # roughly 0.7 / 0.3
    with_pair = training.cefr_loss(split, high, weights, config, low).item()
    assert with_pair < training.cefr_loss(only_high, high, weights, config, low).item()
    # Without the lower annotator's levels the target is one-hot again.
    assert training.cefr_loss(only_high, high, weights, config).item() < 0.01


def test_the_interval_ordinal_term_is_zero_between_the_annotators():
    config = training.TrainConfig(ordinal_weight=1.0, ordinal_interval=True)
    high, low, weights = torch.tensor([3]), torch.tensor([2]), torch.ones(6)
    between = torch.full((1, 6), -30.0)
    between[0, 2], between[0, 3] = 0.0, 0.0  # expected level 2.5, cross-entropy log 2
    assert training.cefr_loss(between, high, weights, config, low).item() == pytest.approx(0.6931, abs=1e-3)
    plain = training.TrainConfig(ordinal_weight=1.0)
    assert training.cefr_loss(between, high, weights, plain, low).item() == pytest.approx(0.6931 + 0.5, abs=1e-3)
    below = torch.full((1, 6), -30.0)
    below[0, 1] = 0.0  # expected level 1: one below the interval, cross-entropy 30
    assert training.cefr_loss(below, high, weights, config, low).item() == pytest.approx(30.0 + 1.0, abs=1e-3)
