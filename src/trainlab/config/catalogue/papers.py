"""The papers the catalogue cites."""

from __future__ import annotations

from trainlab.config.catalogue._row import Paper

# fmt: off
AN96 = Paper("An", 1996,
              "The Effects of Adding Noise During Backpropagation Training on a Generalization "
              "Performance")
BELINKOV18 = Paper("Belinkov & Bisk", 2018,
                    "Synthetic and Natural Noise Both Break Neural Machine Translation")
BENGIO03 = Paper("Bengio, Ducharme, Vincent & Jauvin", 2003,
                  "A Neural Probabilistic Language Model")
BISHOP95 = Paper("Bishop", 1995, "Training with Noise is Equivalent to Tikhonov Regularization")
CARUANA97 = Paper("Caruana", 1997, "Multitask Learning")
CHEN19 = Paper("Chen, Liu, Kira, Wang & Huang", 2019, "A Closer Look at Few-shot Classification")
CHEN20 = Paper("Chen, Kornblith, Norouzi & Hinton", 2020,
                "A Simple Framework for Contrastive Learning of Visual Representations")
DEVRIES17 = Paper("DeVries & Taylor", 2017,
                   "Improved Regularization of Convolutional Neural Networks with Cutout")
DIETTERICH00 = Paper("Dietterich", 2000, "Ensemble Methods in Machine Learning")
DOERSCH15 = Paper("Doersch, Gupta & Efros", 2015,
                   "Unsupervised Visual Representation Learning by Context Prediction")
DUONG15 = Paper("Duong, Cohn, Bird & Cook", 2015,
                 "Low Resource Dependency Parsing: Cross-lingual Parameter Sharing in a Neural "
                 "Network Parser")
FINN17 = Paper("Finn, Abbeel & Levine", 2017,
                "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks")
GAL16 = Paper("Gal & Ghahramani", 2016,
               "Dropout as a Bayesian Approximation: Representing Model Uncertainty in Deep "
               "Learning")
GIDARIS18 = Paper("Gidaris, Singh & Komodakis", 2018,
                   "Unsupervised Representation Learning by Predicting Image Rotations")
GLOROT10 = Paper("Glorot & Bengio", 2010,
                  "Understanding the difficulty of training deep feedforward neural networks")
GOODFELLOW16 = Paper("Goodfellow, Bengio & Courville", 2016, "Deep Learning")
GREYDANUS20 = Paper("Greydanus", 2020, "Scaling Down Deep Learning")
HARRIS54 = Paper("Harris", 1954, "Distributional Structure")
HE15 = Paper("He, Zhang, Ren & Sun", 2015,
              "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet "
              "Classification")
HE22 = Paper("He, Chen, Xie, Li, Dollár & Girshick", 2022,
              "Masked Autoencoders Are Scalable Vision Learners")
HOWARD18 = Paper("Howard & Ruder", 2018,
                  "Universal Language Model Fine-tuning for Text Classification")
HUBER64 = Paper("Huber", 1964, "Robust Estimation of a Location Parameter")
IOFFE15 = Paper("Ioffe & Szegedy", 2015,
                 "Batch Normalization: Accelerating Deep Network Training by Reducing Internal "
                 "Covariate Shift")
KARPATHY14 = Paper("Karpathy et al.", 2014,
                    "Large-scale Video Classification with Convolutional Neural Networks")
KENDALL18 = Paper("Kendall, Gal & Cipolla", 2018,
                   "Multi-Task Learning Using Uncertainty to Weigh Losses for Scene Geometry and "
                   "Semantics")
KO15 = Paper("Ko, Peddinti, Povey & Khudanpur", 2015, "Audio Augmentation for Speech Recognition")
KOHAVI95 = Paper("Kohavi", 1995,
                  "A Study of Cross-Validation and Bootstrap for Accuracy Estimation and Model "
                  "Selection")
KRIZHEVSKY12 = Paper("Krizhevsky, Sutskever & Hinton", 2012,
                      "ImageNet Classification with Deep Convolutional Neural Networks")
KROGH92 = Paper("Krogh & Hertz", 1992, "A Simple Weight Decay Can Improve Generalization")
LECUN98 = Paper("LeCun, Bottou, Orr & Müller", 1998, "Efficient BackProp")
LITTLE02 = Paper("Little & Rubin", 2002, "Statistical Analysis with Missing Data")
MIKOLOV13 = Paper("Mikolov, Chen, Corrado & Dean", 2013,
                   "Efficient Estimation of Word Representations in Vector Space")
MISRA16 = Paper("Misra, Shrivastava, Gupta & Hebert", 2016,
                 "Cross-stitch Networks for Multi-task Learning")
NIKHIL17 = Paper("Nikhil B.", 2017, "Image Data Pre-Processing for Neural Networks")
OPPENHEIM10 = Paper("Oppenheim & Schafer", 2010, "Discrete-Time Signal Processing (3rd ed.)")
PARK19 = Paper("Park et al.", 2019,
                "SpecAugment: A Simple Data Augmentation Method for Automatic Speech Recognition")
PORTER80 = Paper("Porter", 1980, "An algorithm for suffix stripping")
POTDAR17 = Paper("Potdar, Pardawala & Pai", 2017,
                  "A Comparative Study of Categorical Variable Encoding Techniques for Neural "
                  "Network Classifiers")
PRECHELT98 = Paper("Prechelt", 1998, "Early Stopping — But When?")
RAZAVIAN14 = Paper("Razavian, Azizpour, Sullivan & Carlsson", 2014,
                    "CNN Features off-the-shelf: an Astounding Baseline for Recognition")
RUDER17 = Paper("Ruder", 2017, "An Overview of Multi-Task Learning in Deep Neural Networks")
SENNRICH16 = Paper("Sennrich, Haddow & Birch", 2016,
                    "Improving Neural Machine Translation Models with Monolingual Data")
SIMARD03 = Paper("Simard, Steinkraus & Platt", 2003,
                  "Best Practices for Convolutional Neural Networks Applied to Visual Document "
                  "Analysis")
SIMONYAN14 = Paper("Simonyan & Zisserman", 2014,
                    "Two-Stream Convolutional Networks for Action Recognition in Videos")
SINGH15 = Paper("Singh, De, Zhang, Goldstein & Taylor", 2015,
                 "Layer-Specific Adaptive Learning Rates for Deep Networks")
SNELL17 = Paper("Snell, Swersky & Zemel", 2017, "Prototypical Networks for Few-shot Learning")
SRIVASTAVA14 = Paper("Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov", 2014,
                      "Dropout: A Simple Way to Prevent Neural Networks from Overfitting")
STONE74 = Paper("Stone", 1974, "Cross-Validatory Choice and Assessment of Statistical Predictions")
SZEGEDY15 = Paper("Szegedy et al.", 2015, "Going Deeper with Convolutions")
SZEGEDY16 = Paper("Szegedy, Vanhoucke, Ioffe, Shlens & Wojna", 2016,
                   "Rethinking the Inception Architecture for Computer Vision")
TIBSHIRANI96 = Paper("Tibshirani", 1996, "Regression Shrinkage and Selection via the Lasso")
WANG16 = Paper("Wang et al.", 2016,
                "Temporal Segment Networks: Towards Good Practices for Deep Action Recognition")
WEI19 = Paper("Wei & Zou", 2019,
               "EDA: Easy Data Augmentation Techniques for Boosting Performance on Text "
               "Classification Tasks")
XIE16 = Paper("Xie, Wang, Wei, Wang & Tian", 2016,
               "DisturbLabel: Regularizing CNN on the Loss Layer")
YOSINSKI14 = Paper("Yosinski, Clune, Bengio & Lipson", 2014,
                    "How transferable are features in deep neural networks?")
YUN19 = Paper("Yun et al.", 2019,
               "CutMix: Regularization Strategy to Train Strong Classifiers with Localizable "
               "Features")
ZHANG15 = Paper("Zhang, Zhao & LeCun", 2015,
                 "Character-level Convolutional Networks for Text Classification")
ZHANG18 = Paper("Zhang, Cisse, Dauphin & Lopez-Paz", 2018,
                 "mixup: Beyond Empirical Risk Minimization")
ZHONG20 = Paper("Zhong, Zheng, Kang, Li & Yang", 2020, "Random Erasing Data Augmentation")
ZOUHIR14 = Paper("Zouhir & Ouni", 2014,
                  "A bio-inspired feature extraction for robust speech recognition")
# fmt: on
