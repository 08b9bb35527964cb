from hnreport.cli import main

main()
