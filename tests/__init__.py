import os

# The story-vector model (a multilingual embedding per article) is loaded only by the tests
# about it, which turn it on themselves: elsewhere it would cost every crawl a model load.
os.environ["NEWSMON_STORY_VECTORS"] = "0"
