package dev.hearth.router.tokens;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimTokenizerTest {
    private final SimTokenizer tokenizer = new SimTokenizer();

    @Test
    void sameTextGivesSameIdsAcrossInstances() {
        String text = "You are a helpful assistant. Answer in JSON, with 3 fields: name, kind, size.";
        assertArrayEquals(tokenizer.encode(text), new SimTokenizer().encode(text));
    }

    @Test
    void sharedTextPrefixGivesSharedIdPrefix() {
        // Ends in a newline, as a chat template's message does: a trailing space would merge with
        // the next word, exactly as it does in real BPE tokenizers.
        String system = "The river runs over the stone field.\n".repeat(40);
        int[] a = tokenizer.encode(system + "What is a cache?");
        int[] b = tokenizer.encode(system + "Why is the queue slow?");
        int[] prefix = tokenizer.encode(system);
        assertArrayEquals(prefix, Arrays.copyOf(a, prefix.length));
        assertArrayEquals(prefix, Arrays.copyOf(b, prefix.length));
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void englishCostsAboutOneTokenPerWordAndLongWordsSplit() {
        assertEquals(4, tokenizer.encode("the model can route").length);
        // 24 letters with a leading space: chunks of six characters.
        assertEquals(5, tokenizer.encode(" abcdefghijklmnopqrstuvwx").length);
        assertEquals(3, tokenizer.encode("123").length, "digits are split one by one");
    }

    @Test
    void specialTokensKeepQwenIdsAndListedWordsDecode() {
        int[] ids = tokenizer.encode("<|im_start|>the cache<|im_end|>");
        assertEquals(SimTokenizer.IM_START, ids[0]);
        assertEquals(SimTokenizer.IM_END, ids[ids.length - 1]);
        assertEquals(4, ids.length);
        assertEquals("<|im_start|>the cache<|im_end|>", tokenizer.decode(ids));
        assertEquals("\uFFFD", tokenizer.decode(tokenizer.encode("zyxw")), "unlisted pieces do not decode");
    }

    @Test
    void wordIdsReEncodeToThemselves() {
        StringBuilder text = new StringBuilder();
        int[] expected = new int[50];
        for (int i = 0; i < 50; i++) {
            expected[i] = tokenizer.wordId(i * 7, i > 0);
            text.append(tokenizer.tokenText(expected[i]));
        }
        assertArrayEquals(expected, tokenizer.encode(text.toString()));
    }

    @Test
    void everyIdIsInsideTheVocabulary() {
        int[] ids = tokenizer.encode("Ünïcödé 😀 text, with ¿symbols? and \t tabs\n\nnewlines ~~~ "
                + "supercalifragilisticexpialidocious");
        assertTrue(ids.length > 10);
        for (int id : ids) {
            assertTrue(id >= 0 && id < SimTokenizer.VOCAB_SIZE, "id " + id);
        }
        assertEquals(0, tokenizer.encode("").length);
    }

    @Test
    void chatTemplateRendersChatMl() {
        String prompt = new ChatTemplate().render(
                List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi")), true);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                prompt);
    }
}
