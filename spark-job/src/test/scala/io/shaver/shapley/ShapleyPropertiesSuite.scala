package io.shaver.shapley

import io.shaver.model.CtrModel
import org.scalacheck.Gen
import org.scalatest.funsuite.AnyFunSuite
import org.scalatestplus.scalacheck.ScalaCheckPropertyChecks

/** Shapley axioms and exactness on random small games, with the hand-written test model. */
class ShapleyPropertiesSuite extends AnyFunSuite with ScalaCheckPropertyChecks {

  implicit override val generatorDrivenConfig: PropertyCheckConfiguration =
    PropertyCheckConfiguration(minSuccessful = 25)

  /** A random game: table shape, model seed and data. */
  case class Game(fieldSizes: Array[Int], dimension: Int, seed: Long, samples: Int,
      placeholder: PlaceholderKind, antithetic: Boolean) {
    val layout: TableLayout = TableLayout.of(fieldSizes, dimension)
    def coordinates: Int = layout.coordinates()
    override def toString: String =
      s"Game(fields=${fieldSizes.mkString("[", ",", "]")}, d=$dimension, seed=$seed, " +
        s"samples=$samples, $placeholder, antithetic=$antithetic)"
  }

  private def games(maxCoordinates: Int): Gen[Game] = for {
    fields <- Gen.choose(1, 3)
    dimension <- Gen.choose(1, math.max(1, maxCoordinates / fields))
    sizes <- Gen.listOfN(fields, Gen.choose(1, 4))
    seed <- Gen.choose(0L, 1000000L)
    samples <- Gen.choose(1, 12)
    placeholder <- Gen.oneOf(PlaceholderKind.ZERO, PlaceholderKind.CODEBOOK)
    antithetic <- Gen.oneOf(false, true)
  } yield Game(sizes.toArray, dimension, seed, samples, placeholder, antithetic)

  private def setUp(game: Game): (CtrModel, EncodedSamples, Placeholder, Codebook) = {
    val model = new TinyMlpModel(game.layout, 4, game.seed % 2 == 0, game.seed)
    val data = WalkEngineTest.randomSamples(game.layout, game.samples, game.seed + 1)
    val codebook = Codebook.compute(game.layout, model.embeddingTable(),
      WalkEngineTest.countsOf(data, game.layout))
    (model, data, Placeholder.of(game.placeholder, game.layout, codebook), codebook)
  }

  private def settings(game: Game, passes: Int, batch: Int): EstimatorSettings =
    EstimatorSettings.builder().placeholder(game.placeholder).antithetic(game.antithetic)
      .maxPasses(passes).minPasses(passes).batchSize(batch).seed(game.seed).build()

  test("efficiency holds every pass") {
    forAll(games(8)) { game =>
      val (model, data, placeholder, _) = setUp(game)
      val expected = ExactShapley.efficiencyGap(model, game.layout, placeholder, data)
      val engine = new WalkEngine(model, game.layout, placeholder,
        PermutationSource.seeded(game.seed), game.antithetic, 5)
      try {
        for (pass <- 0 until 3) {
          val accumulator = ShapleyAccumulator.create(game.layout.parameters(), 0)
          for (from <- 0 until data.size() by 5) {
            engine.walk(data, from, math.min(5, data.size() - from), pass, accumulator)
          }
          val total = WalkEngineTest.sumOfPhi(accumulator)
          assert(math.abs(total - expected) <= 1e-9 * math.abs(expected) + 1e-15,
            s"pass $pass: sum of phi $total, expected $expected")
        }
      } finally engine.close()
    }
  }

  test("average over all permutations is exact") {
    forAll(games(5)) { game =>
      val (model, data, placeholder, _) = setUp(game)
      val passes = AllPermutations.factorial(game.coordinates).toInt
      val estimate = new ShapleyEstimator(model, game.layout, placeholder,
        settings(game, passes, 4), new AllPermutations()).estimate(data)
      val exact = ExactShapley.compute(model, game.layout, placeholder, data)
      for (p <- exact.indices) {
        assert(math.abs(estimate.phi(p) - exact(p)) <= 1e-12 + 1e-9 * math.abs(exact(p)),
          s"parameter $p: ${estimate.phi(p)} vs exact ${exact(p)}")
      }
    }
  }

  test("rows absent from the data are null players") {
    forAll(games(8)) { game =>
      val (model, data, _, codebook) = setUp(game)
      val estimate = ShapleyEstimator.of(model, game.layout, settings(game, 2, 3), codebook)
        .estimate(data)
      val counts = WalkEngineTest.countsOf(data, game.layout)
      val d = game.dimension
      for (row <- counts.indices if counts(row) == 0; j <- 0 until d) {
        val p = row.toLong * d + j
        assert(estimate.phi(p) == 0.0, s"row $row dimension $j")
        assert(estimate.standardError(p) == 0.0)
        assert(estimate.occurrences(p) == 0L)
      }
      for (row <- counts.indices if counts(row) > 0; j <- 0 until d) {
        assert(estimate.occurrences(row.toLong * d + j) == 2 * counts(row))
      }
    }
  }

  test("batch size does not change phi") {
    forAll(games(8), Gen.choose(1, 12)) { (game, batch) =>
      val (model, data, _, codebook) = setUp(game)
      val one = ShapleyEstimator.of(model, game.layout, settings(game, 2, 1), codebook)
        .estimate(data)
      val other = ShapleyEstimator.of(model, game.layout, settings(game, 2, batch), codebook)
        .estimate(data)
      for (p <- 0L until game.layout.parameters()) {
        assert(math.abs(one.phi(p) - other.phi(p)) <= 1e-12 * math.abs(one.phi(p)),
          s"parameter $p batch $batch")
      }
      assert(one.evaluations() == other.evaluations())
    }
  }
}
