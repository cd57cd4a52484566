package io.shaver.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shaver.config.JobConfigLoader;
import io.shaver.output.AtomicDirectory;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepare reading from and writing to HDFS (a MiniDFSCluster on 127.0.0.1) matches local. */
class PrepareHdfsTest {

  private static final List<String> LOOPBACK_ADDRESSES = List.of("dfs.namenode.rpc-address",
      "dfs.namenode.http-address", "dfs.datanode.address", "dfs.datanode.http.address",
      "dfs.datanode.ipc.address");

  @TempDir
  static Path directory;

  private static MiniDFSCluster cluster;
  private static String hdfs;

  @BeforeAll
  static void startCluster() throws Exception {
    Configuration conf = new Configuration();
    for (String key : LOOPBACK_ADDRESSES) {
      conf.set(key, "127.0.0.1:0");
    }
    cluster = new MiniDFSCluster.Builder(conf, directory.resolve("dfs").toFile())
        .numDataNodes(1).build();
    cluster.waitActive();
    hdfs = "hdfs://localhost:" + cluster.getNameNodePort();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static String config(String output, String input) {
    return "output: " + output + "\nseed: 5\ndata:\n  format: criteo\n  path: " + input
        + "\n  rows_per_file: 3000\n";
  }

  @Test
  void hdfsOutputsEqualLocalOutputs() throws Exception {
    Configuration hadoopConf = SharedSpark.get().sparkContext().hadoopConfiguration();
    Path criteo = TestData.criteoTrain10k();
    org.apache.hadoop.fs.Path remoteInput = new org.apache.hadoop.fs.Path(hdfs
        + "/input/criteo.txt");
    FileSystem fileSystem = remoteInput.getFileSystem(hadoopConf);
    fileSystem.copyFromLocalFile(new org.apache.hadoop.fs.Path(criteo.toString()), remoteInput);
    String localRun = directory.resolve("local").toString();
    String remoteRun = hdfs + "/runs/criteo";

    PrepareResult local = PrepareStage.run(SharedSpark.get(),
        JobConfigLoader.parse(config(localRun, criteo.toString()), List.of()));
    PrepareResult remote = PrepareStage.run(SharedSpark.get(),
        JobConfigLoader.parse(config(remoteRun, remoteInput.toString()), List.of()));

    assertTrue(remote.directory().startsWith("hdfs://"), remote.directory());
    assertTrue(AtomicDirectory.isComplete(new org.apache.hadoop.fs.Path(remote.directory()),
        hadoopConf));
    assertEquals(local.trainRows(), remote.trainRows());
    assertEquals(local.embeddingRows(), remote.embeddingRows());
    PreparedOutput expected = new PreparedOutput(localRun);
    PreparedOutput actual = new PreparedOutput(remoteRun);
    assertEquals(expected.fields(), actual.fields());
    assertEquals(expected.vocabulary(), actual.vocabulary());
    for (String split : List.of("train", "val", "test")) {
      assertEquals(expected.partFiles(split).size(), actual.partFiles(split).size(), split);
      List<Row> expectedRows = expected.split(split);
      List<Row> actualRows = actual.split(split);
      assertEquals(expectedRows.size(), actualRows.size(), split);
      for (int i = 0; i < expectedRows.size(); i++) {
        assertEquals(expectedRows.get(i), actualRows.get(i), split + " row " + i);
      }
    }
    JsonNode expectedReport = expected.report();
    JsonNode actualReport = actual.report();
    ((ObjectNode) expectedReport).remove("provenance");
    ((ObjectNode) actualReport).remove("provenance");
    assertEquals(expectedReport, actualReport);
  }
}
