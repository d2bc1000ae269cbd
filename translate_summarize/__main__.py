from translate_summarize.cli import main

main()
